package org.camelazureml.retrain.config;

import java.util.Optional;
import java.util.Set;

/** Where {@code retrain.*} settings come from: the properties file with system-property and environment overrides. */
public interface ConfigSource {

    /** The value of a key after overrides, or empty when it is unset. */
    Optional<String> get(String key);

    /** Every key that starts with {@code prefix}, for map-valued settings such as {@code retrain.training.inputs.*}. */
    Set<String> keysStartingWith(String prefix);
}
