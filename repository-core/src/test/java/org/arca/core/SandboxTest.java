package org.arca.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A helper process started the sandboxed way has no network and none of the server's environment. */
class SandboxTest {
    @TempDir
    Path home;

    private static String run(ProcessBuilder builder) throws IOException, InterruptedException {
        Process p = builder.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    @Test
    void aSandboxedCommandSeesOnlyALoopbackInANamespaceOfItsOwn() throws Exception {
        assumeTrue(Sandbox.networkIsolationWorks(), "this kernel refuses unprivileged network namespaces");
        String inside = run(new ProcessBuilder(Sandbox.withoutNetwork(List.of("/bin/sh", "-c",
                "readlink /proc/self/ns/net; tail -n +3 /proc/net/dev | cut -d: -f1"))));
        List<String> lines = Arrays.stream(inside.split("\n")).map(String::strip).toList();
        assertThat(lines.get(0)).isNotEqualTo(Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString());
        assertThat(lines.subList(1, lines.size())).containsExactly("lo");
    }

    @Test
    void theServersEnvironmentDoesNotReachTheHelper() throws Exception {
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/env");
        builder.environment().put("ARCA_DB_PASSWORD", "must not leak");
        String env = run(Sandbox.cleanEnvironment(builder, home));
        assertThat(env).doesNotContain("ARCA_DB_PASSWORD").doesNotContain("must not leak")
                .contains("HOME=" + home).contains("TMPDIR=" + home).contains("PATH=/usr/local/bin:/usr/bin:/bin");
    }
}
