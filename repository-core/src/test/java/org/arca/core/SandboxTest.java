package org.arca.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A helper process started the sandboxed way has no network, none of the server's environment, none of the
 * server's files but those it is given (read-only) and its job folder, and none of the server's processes.
 */
class SandboxTest {
    @TempDir
    Path home;

    private Path data;
    private Path job;
    private Path blob;
    private Sandbox sandbox;

    @BeforeEach
    void aDataFolderWithASecretAndAJobFolderInside() throws IOException {
        data = Files.createDirectories(home.resolve("data"));
        Files.writeString(data.resolve("arca.mv.db"), "the database, which no helper may read");
        blob = Files.writeString(Files.createDirectories(data.resolve("blobs/ab")).resolve("abcdef"), "the file to convert");
        // Where the server puts job folders: inside the data folder it hides.
        job = Files.createDirectories(data.resolve("work/previews/job-1"));
        sandbox = Sandbox.hiding(List.of(data));
    }

    private static String run(ProcessBuilder builder) throws IOException, InterruptedException {
        Process p = builder.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    private String inSandbox(String script) throws IOException, InterruptedException {
        return run(sandbox.command(job, Map.of("input", blob), List.of("/bin/sh", "-c", script)));
    }

    @Test
    void aSandboxedCommandSeesOnlyALoopbackInANamespaceOfItsOwn() throws Exception {
        assumeTrue(Sandbox.networkIsolationWorks(), "this kernel refuses unprivileged network namespaces");
        String inside = inSandbox("readlink /proc/self/ns/net; tail -n +3 /proc/net/dev | cut -d: -f1");
        List<String> lines = Arrays.stream(inside.split("\n")).map(String::strip).toList();
        assertThat(lines.get(0)).isNotEqualTo(Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString());
        assertThat(lines.subList(1, lines.size())).containsExactly("lo");
    }

    @Test
    void theHelperReadsItsInputAndWritesItsJobFolderButSeesNothingElseOfTheDataFolder() throws Exception {
        assumeTrue(sandbox.isolation() == Sandbox.Isolation.FULL, "this kernel refuses unprivileged mount namespaces");
        String inside = inSandbox("""
                cat input; echo
                cat "$PWD/input"; echo
                ( echo changed > input ) 2>/dev/null && echo input-writable
                echo result > output.txt
                ls -A %1$s
                cat %1$s/arca.mv.db 2>/dev/null || echo database-unreadable
                cat %2$s 2>/dev/null || echo blob-unreadable
                [ -e /run/postgresql ] && echo database-socket-visible || echo database-socket-hidden
                """.formatted(data, blob));
        assertThat(inside.lines().toList()).containsExactly("the file to convert", "the file to convert",
                "work", "database-unreadable", "blob-unreadable",
                "database-socket-hidden");
        // What it wrote is in the real job folder; the blob it was given is unchanged.
        assertThat(job.resolve("output.txt")).hasContent("result");
        assertThat(blob).hasContent("the file to convert");
        assertThat(data.resolve("arca.mv.db")).exists();
    }

    @Test
    void theHelperSeesOnlyItsOwnProcesses() throws Exception {
        assumeTrue(sandbox.isolation() == Sandbox.Isolation.FULL, "this kernel refuses unprivileged mount namespaces");
        long server = ProcessHandle.current().pid();
        String inside = inSandbox("tr '\\0' ' ' < /proc/1/cmdline; echo; ls /proc | grep -c '^[0-9]'; "
                + "[ -e /proc/" + server + "/environ ] && echo server-visible || echo server-invisible");
        List<String> lines = inside.lines().toList();
        // The helper itself is process 1; the server, with its environment and its view of the files, is not there.
        assertThat(lines.get(0)).startsWith("/bin/sh -c tr");
        assertThat(Integer.parseInt(lines.get(1).strip())).isLessThanOrEqualTo(4);
        assertThat(lines.get(2)).isEqualTo("server-invisible");
    }

    @Test
    void aNameThatIsNotAPlainFileNameIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sandbox.command(job, Map.of("../escape", blob), List.of("/bin/true")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theServersEnvironmentDoesNotReachTheHelper() throws Exception {
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/env");
        builder.environment().put("ARCA_DB_PASSWORD", "must not leak");
        String env = run(Sandbox.cleanEnvironment(builder, home));
        assertThat(env).doesNotContain("ARCA_DB_PASSWORD").doesNotContain("must not leak")
                .contains("HOME=" + home).contains("TMPDIR=" + home).contains("PATH=/usr/local/bin:/usr/bin:/bin");
        String sandboxed = inSandbox("env");
        assertThat(sandboxed).contains("HOME=" + job.toAbsolutePath()).doesNotContain("ARCA_");
    }
}
