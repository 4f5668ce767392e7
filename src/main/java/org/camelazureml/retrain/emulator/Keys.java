package org.camelazureml.retrain.emulator;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Random throwaway API keys and job ids. */
final class Keys {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Keys() {
    }

    /** A 64-byte base64 key, the shape of a classic web service API key. */
    static String randomApiKey() {
        byte[] bytes = new byte[64];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** 32 lowercase hex characters, the shape of a BES job id. */
    static String randomJobId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
