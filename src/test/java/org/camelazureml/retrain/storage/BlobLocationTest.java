package org.camelazureml.retrain.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class BlobLocationTest {

    @Test
    void splitsContainerAndBlobName() {
        BlobLocation location = BlobLocation.parse("models/20261128-1/model.ilearner");

        assertThat(location.container()).isEqualTo("models");
        assertThat(location.blobName()).isEqualTo("20261128-1/model.ilearner");
        assertThat(location.relativeLocation()).isEqualTo("models/20261128-1/model.ilearner");
    }

    @ParameterizedTest
    @ValueSource(strings = {"models/../../etc/passwd", "/models/m.ilearner", "models", "models/", "models//m",
        "models\\m.ilearner", "models/./m.ilearner", ""})
    void refusesPathsThatCouldEscape(String location) {
        assertThatThrownBy(() -> BlobLocation.parse(location)).isInstanceOf(IllegalArgumentException.class);
    }
}
