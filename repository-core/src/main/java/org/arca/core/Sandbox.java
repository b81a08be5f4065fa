package org.arca.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How Arca starts the helper processes that touch untrusted bytes (Tika and preview workers, LibreOffice, AI
 * workers): without the network and without the server's environment. None of them needs a network, so a
 * helper taken over by a crafted file could still send nothing anywhere; and the environment, where
 * {@code ARCA_DB_PASSWORD} and friends live, is replaced by a few harmless variables.
 *
 * <p>The network part is util-linux {@code unshare --user --map-root-user --net}: an unprivileged user namespace,
 * so no root is needed, holding a network namespace whose only interface is a loopback that is down. Whether
 * the kernel allows it is tried once; where it does not, commands run as given and the server says so once.
 */
public final class Sandbox {
    private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);
    private static final Path UNSHARE = Path.of("/usr/bin/unshare");
    private static final List<String> NO_NETWORK = List.of(UNSHARE.toString(), "--user", "--map-root-user", "--net", "--");
    private static volatile Boolean works;

    private Sandbox() {
    }

    /** {@code command} prefixed so that it runs in a network namespace of its own, where the machine allows it. */
    public static List<String> withoutNetwork(List<String> command) {
        if (!networkIsolationWorks()) {
            return command;
        }
        List<String> isolated = new ArrayList<>(NO_NETWORK);
        isolated.addAll(command);
        return isolated;
    }

    /** Whether this machine lets an unprivileged process have a network namespace: tried once, with a no-op. */
    public static boolean networkIsolationWorks() {
        Boolean known = works;
        if (known == null) {
            synchronized (Sandbox.class) {
                if (works == null) {
                    works = probe();
                }
                known = works;
            }
        }
        return known;
    }

    /** Replaces the environment the process would inherit with {@code PATH}, {@code LANG} and {@code HOME}/{@code TMPDIR}. */
    public static ProcessBuilder cleanEnvironment(ProcessBuilder builder, Path home) {
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("LANG", "C.UTF-8");
        env.put("HOME", home.toString());
        env.put("TMPDIR", home.toString());
        return builder;
    }

    private static boolean probe() {
        if (Files.isExecutable(UNSHARE)) {
            try {
                List<String> probe = new ArrayList<>(NO_NETWORK);
                probe.add("/bin/true");
                Process p = new ProcessBuilder(probe).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return true;
                }
                p.destroyForcibly();
            } catch (IOException e) {
                // said below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LOG.warn("unprivileged network namespaces are not available here ({}): helper processes keep the server's network",
                UNSHARE);
        return false;
    }
}
