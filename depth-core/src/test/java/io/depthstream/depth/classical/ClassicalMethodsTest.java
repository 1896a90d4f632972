package io.depthstream.depth.classical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depthstream.depth.DepthReconstructor;
import org.junit.jupiter.api.Test;

class ClassicalMethodsTest {

  @Test
  void createsEachNamedMethodWithThatName() {
    assertThat(ClassicalMethods.names()).contains("nearest-fill");
    for (String name : ClassicalMethods.names()) {
      DepthReconstructor method = ClassicalMethods.create(name);
      assertThat(method.name()).isEqualTo(name);
      assertThat(ClassicalMethods.create(name)).isNotSameAs(method);
    }
  }

  @Test
  void unknownNameListsTheKnownOnes() {
    assertThatThrownBy(() -> ClassicalMethods.create("bilinear-magic"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bilinear-magic")
        .hasMessageContaining("nearest-fill");
  }
}
