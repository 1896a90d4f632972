package io.depthstream.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's live view in a real browser: the demo runs in-process (broker, node, the three synthetic sensors), Debian's
 * headless chromium, driven by playwright-core ({@code src/test/liveview-js/check-view.mjs}), opens
 * {@code http://localhost:<port>/view/}, waits until every sensor is drawn, then watches for a few seconds: every
 * sensor's input, dense and scan canvases must change their pixels, its fps text must show a rate, the page must poll
 * the node at 5 Hz or more and ask nothing of any other host. It saves a screenshot ({@code target/liveview.png}).
 *
 * <p>Needs {@code chromium} (Debian: {@code apt-get install chromium}; or {@code $CHROMIUM}), Node.js and the
 * script's package ({@code npm ci --prefix tools/demo/src/test/liveview-js}); skipped, saying which is missing.
 */
class LiveViewBrowserIT {
  private static final Path SCRIPTS = Path.of("src/test/liveview-js");
  private static final int SENSORS = 3;

  @Test
  void everySensorsInputDenseDepthScanAndFpsKeepUpdatingInChromium(@TempDir Path dir) throws Exception {
    Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    assumeTrue(Files.isExecutable(chromium), chromium + " is not installed (Debian: apt-get install chromium): the "
        + "live view's browser check is skipped");
    assumeTrue(nodeJsInstalled(), "Node.js (node) is not installed: the live view's browser check is skipped");
    assumeTrue(Files.isDirectory(SCRIPTS.resolve("node_modules/playwright-core")), "playwright-core is not "
        + "installed: run 'npm ci --prefix tools/demo/src/test/liveview-js' to run the live view's browser check");

    Path screenshot = Path.of("target/liveview.png").toAbsolutePath();
    Files.createDirectories(screenshot.getParent());
    Files.deleteIfExists(screenshot);
    try (RunningDemo demo = RunningDemo.start(RunningDemo.settings(dir.resolve("pictures"), Duration.ofMinutes(4))
        .lidar(10, 1242, 375).rgbdHz(10).vslamHz(10)
        .loopFrames(4))) {
      demo.awaitReady(Duration.ofSeconds(180));
      Path stderr = dir.resolve("check-view.stderr");
      Process check = new ProcessBuilder("node", "check-view.mjs", "http://localhost:" + demo.nodePort() + "/view/",
          screenshot.toString(), Integer.toString(SENSORS), "8")
          .directory(SCRIPTS.toFile()).redirectError(stderr.toFile()).start();
      byte[] stdout = check.getInputStream().readAllBytes();
      assertThat(check.waitFor(120, TimeUnit.SECONDS)).isTrue();
      String report = new String(stdout, StandardCharsets.UTF_8);
      System.out.println("live view in chromium:\n" + report);
      assertThat(check.exitValue()).as("check-view.mjs exit status; report:%n%s%nstderr:%n%s", report,
          Files.readString(stderr)).isZero();

      JsonNode r = new ObjectMapper().readTree(stdout);
      assertThat(r.get("problems")).isEmpty();
      assertThat(r.get("external_requests")).isEmpty();
      assertThat(r.get("state_polls_per_s").asDouble()).isGreaterThanOrEqualTo(5.0);
      assertThat(r.get("sensors").size()).isEqualTo(SENSORS);
      r.get("sensors").fields().forEachRemaining(e -> {
        for (String panel : new String[] {"input", "dense", "scan", "stats"}) {
          assertThat(e.getValue().at("/" + panel + "/distinct").asInt()).as("%s %s", e.getKey(), panel)
              .isGreaterThanOrEqualTo(2);
        }
        assertThat(e.getValue().get("fps_text").asText()).as(e.getKey()).matches("\\d+\\.\\d fps");
      });
      byte[] png = Files.readAllBytes(screenshot);
      assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
    }
  }

  private static boolean nodeJsInstalled() {
    try {
      return new ProcessBuilder("node", "--version").redirectErrorStream(true).start().waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
