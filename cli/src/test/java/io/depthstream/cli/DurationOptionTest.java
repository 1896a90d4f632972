package io.depthstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DurationOptionTest {
  @Test
  void unitsPlainSecondsAndIsoAreRead() {
    assertThat(DurationOption.parse("20s")).isEqualTo(Duration.ofSeconds(20));
    assertThat(DurationOption.parse("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(DurationOption.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
    assertThat(DurationOption.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(DurationOption.parse(" 2.5 ")).isEqualTo(Duration.ofMillis(2500));
    assertThat(DurationOption.parse("PT20S")).isEqualTo(Duration.ofSeconds(20));
    assertThat(DurationOption.parse("0s")).isZero();
  }

  @Test
  void wordsAndNegativeDurationsAreRefusedSayingWhy() {
    assertThatThrownBy(() -> DurationOption.parse("soon")).isInstanceOf(CommandLine.TypeConversionException.class)
        .hasMessageContaining("'soon' is not a duration").hasMessageContaining("20s");
    assertThatThrownBy(() -> DurationOption.parse("PT")).isInstanceOf(CommandLine.TypeConversionException.class);
    assertThatThrownBy(() -> DurationOption.parse("-5s")).isInstanceOf(CommandLine.TypeConversionException.class)
        .hasMessageContaining("negative");
  }
}
