package io.depthstream.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compose stack's Prometheus configuration and alert rules, checked by Prometheus' own promtool. */
class MonitoringConfigTest {
  @BeforeEach
  void needsPromtool() {
    assumeTrue(Promtool.find("promtool").isPresent(), "promtool" + Promtool.MISSING);
  }

  @Test
  void prometheusConfigurationIsValidWithItsRuleFile() throws Exception {
    assertThat(promtoolSucceeds("check", "config", "prometheus.yml")).contains("SUCCESS").contains("alerts.yml");
  }

  @Test
  void alertRulesAreValid() throws Exception {
    assertThat(promtoolSucceeds("check", "rules", "alerts.yml")).contains("SUCCESS: 8 rules found");
  }

  @Test
  void alertRulesFireAsTheirUnitTestsExpect() throws Exception {
    assertThat(promtoolSucceeds("test", "rules", "alerts-test.yml")).contains("SUCCESS");
  }

  /** Runs {@code promtool <command> <subcommand> docker/prometheus/<file>}, expects exit 0, returns its output. */
  private static String promtoolSucceeds(String command, String subcommand, String file) throws Exception {
    Promtool.Result result = Promtool.run(command, subcommand, DeployFiles.docker("prometheus/" + file).toString());
    System.out.println(result.output());
    assertThat(result.exitCode()).as(result.output()).isZero();
    return result.output();
  }

  @Test
  void promtoolRejectsARuleThatDoesNotParse(@TempDir Path dir) throws Exception {
    // The control: the checks above would pass for the wrong reason if promtool accepted anything.
    Path broken = Files.writeString(dir.resolve("broken.yml"),
        "groups:\n  - name: broken\n    rules:\n      - alert: Broken\n        expr: rate(up[5m]\n");
    Promtool.Result result = Promtool.run("check", "rules", broken.toString());
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.output()).contains("unclosed left parenthesis");
  }
}
