package dev.toolhost.runtime.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.toolhost.api.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A client of one Docker daemon, speaking the newest API version both sides know, as the Docker
 * CLI does: docker-java asks for a version newer than older daemons accept (Debian 12's
 * docker.io stops at 1.41), so the daemon's own version decides. Every call blocks.
 */
public final class DockerDaemon implements AutoCloseable {
  /** The newest API version this client is written against (docker-java 3.7). */
  private static final RemoteApiVersion CLIENT_API = RemoteApiVersion.parseConfig("1.44");

  private final DockerClient client;
  private final String version;
  private final String apiVersion;

  private DockerDaemon(DockerClient client, String version, String apiVersion) {
    this.client = client;
    this.version = version;
    this.apiVersion = apiVersion;
  }

  /** Connects and negotiates the API version; fails with a sentence saying what is wrong. */
  public static DockerDaemon connect(URI host) throws IOException {
    if ("unix".equals(host.getScheme()) && !Files.exists(Path.of(host.getPath()))) {
      throw new IOException("no Docker daemon socket at " + host.getPath());
    }
    DockerHttpClient http = new ApacheDockerHttpClient.Builder()
        .dockerHost(host)
        .connectionTimeout(Duration.ofSeconds(5))
        .maxConnections(256)  // each warm container holds one for its wait; calls need the others
        .build();
    JsonNode info;
    try (DockerHttpClient.Response response = http.execute(new DockerHttpClient.Request.Builder()
        .method(DockerHttpClient.Request.Method.GET).path("/version").build());
         InputStream body = response.getBody()) {
      if (response.getStatusCode() != 200) {
        throw new IOException("the Docker daemon at " + host + " answered /version with HTTP " + response.getStatusCode());
      }
      info = Json.MAPPER.readTree(body);
    } catch (RuntimeException e) {
      http.close();
      throw new IOException("cannot reach the Docker daemon at " + host + ": " + e.getMessage(), e);
    }
    RemoteApiVersion daemonApi = RemoteApiVersion.parseConfig(info.path("ApiVersion").asText("1.41"));
    RemoteApiVersion api = daemonApi.isGreaterOrEqual(CLIENT_API) ? CLIENT_API : daemonApi;
    DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(host.toString())
        .withApiVersion(api)
        .build();
    return new DockerDaemon(DockerClientImpl.getInstance(config, http), info.path("Version").asText("?"), api.getVersion());
  }

  public DockerClient client() {
    return client;
  }

  /** "Docker 20.10.24 (API 1.41)". */
  public String describe() {
    return "Docker " + version + " (API " + apiVersion + ")";
  }

  @Override
  public void close() throws IOException {
    client.close();
  }
}
