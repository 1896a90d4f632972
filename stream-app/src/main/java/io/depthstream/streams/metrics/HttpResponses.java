package io.depthstream.streams.metrics;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.Supplier;

/**
 * Answers of the node's HTTP endpoint, one rule for every path: GET gets the body, HEAD the headers only, any other
 * method 405 with {@code Allow: GET, HEAD}; the exchange is always closed.
 */
public final class HttpResponses {
  private HttpResponses() {}

  /**
   * Sends {@code body} (made only for GET and HEAD) with {@code status} and {@code contentType}.
   *
   * @param extraHeaders header name, value, name, value, ... (e.g. Cache-Control)
   */
  public static void send(HttpExchange exchange, int status, String contentType, Supplier<byte[]> body,
      String... extraHeaders) throws IOException {
    try {
      String method = exchange.getRequestMethod();
      boolean head = "HEAD".equals(method);
      if (!head && !"GET".equals(method)) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] bytes = body.get();
      exchange.getResponseHeaders().set("Content-Type", contentType);
      for (int i = 0; i + 1 < extraHeaders.length; i += 2) {
        exchange.getResponseHeaders().set(extraHeaders[i], extraHeaders[i + 1]);
      }
      exchange.sendResponseHeaders(status, head ? -1 : bytes.length == 0 ? -1 : bytes.length);
      if (!head && bytes.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    } finally {
      exchange.close();
    }
  }
}
