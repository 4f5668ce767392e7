package org.camelazureml.retrain.emulator;

import java.net.URI;
import java.util.Locale;

/**
 * Decides, without any DNS lookup, whether a URL points at this machine. The emulator is for
 * offline use: unless told otherwise it talks only to storage on the loopback interface (Azurite),
 * so a connection string for a real account can never make a test reach the internet.
 */
final class LocalHosts {

    private LocalHosts() {
    }

    static boolean isLoopback(String url) {
        String host;
        try {
            host = URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (host == null) {
            return false;
        }
        host = host.toLowerCase(Locale.ROOT);
        return host.equals("localhost") || host.matches("127(\\.\\d{1,3}){3}") || host.equals("[::1]")
                || host.equals("::1");
    }

    static String refusal(String url) {
        return "the storage endpoint " + hostOf(url) + " is not on this machine; the emulator only talks to local "
                + "storage such as Azurite (start it with allowRemoteStorage(true) to use a real account)";
    }

    private static String hostOf(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getScheme() + "://" + uri.getAuthority();
        } catch (IllegalArgumentException e) {
            return "(unparseable URL)";
        }
    }
}
