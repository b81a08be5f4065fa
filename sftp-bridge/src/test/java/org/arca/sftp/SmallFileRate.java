package org.arca.sftp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.arca.core.Folder;
import org.arca.core.TestDatabases;
import org.arca.core.TestRepository;
import org.arca.core.access.Caller;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Small-file uploads per second with OpenSSH's {@code sftp -b} against the test server: a measurement, not a
 * test, so it runs only when asked ({@code -Darca.sftp.rate=2000}) and asserts nothing. The full comparison
 * against OpenSSH's own server is {@code arca bench sftp}; this one fits a shared machine.
 */
class SmallFileRate {

    @TempDir
    Path work;

    @Test
    void uploadsManySmallFiles() throws Exception {
        int files = Integer.getInteger("arca.sftp.rate", 0);
        Assumptions.assumeTrue(files > 0, "a measurement: run with -Darca.sftp.rate=<files>");
        TestDatabases.Kind kind = TestDatabases.kinds().getLast();
        try (TestRepository repo = new TestRepository(kind)) {
            SftpServer server = SftpServer.start(repo.repo(), SftpSettings.defaults(repo.dataDir(), 0).withHost("127.0.0.1"));
            try {
                Caller alice = repo.user("alice");
                OpenSshClient ssh = new OpenSshClient(work, server.port());
                Folder home = repo.repo().folders().home(alice);
                Random random = new Random(1);
                for (int round = 0; round < 3; round++) {
                    Path dir = Files.createDirectories(work.resolve("r" + round));
                    for (int i = 0; i < files; i++) {
                        byte[] bytes = new byte[10 * 1024];
                        random.nextBytes(bytes);
                        Files.write(dir.resolve("f" + i), bytes);
                    }
                    long start = System.nanoTime();
                    OpenSshClient.Result result = ssh.withPassword(TestRepository.PASSWORD, "alice", "put -R " + dir + " /home/r" + round);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    System.out.printf("SMALL-FILE-RATE %s round %d: %d files of 10 KiB in %.2f s = %.0f files/s (exit %d)%n",
                            kind, round, files, seconds, files / seconds, result.exit());
                }
                System.out.println("SMALL-FILE-RATE folders in home: " + repo.repo().folders().children(alice, home.id(), 1, 0).total());
            } finally {
                server.close();
            }
        }
    }
}
