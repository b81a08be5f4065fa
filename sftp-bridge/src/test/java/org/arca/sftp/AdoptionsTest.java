package org.arca.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AdoptionsTest {
    private static final java.util.concurrent.ExecutorService THREADS = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

    @Test
    void settleReturnsOnlyOnceEveryHandedOverUploadIsStored() throws Exception {
        List<String> stored = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        try (Adoptions adoptions = new Adoptions(THREADS)) {
            for (int i = 0; i < 10; i++) {
                String name = "f" + i;
                adoptions.submit(name, () -> {
                    await(release);
                    stored.add(name);
                });
            }
            Thread settling = Thread.ofVirtual().start(() -> {
                try {
                    adoptions.settle();
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(settling.join(java.time.Duration.ofMillis(200))).as("settled while uploads were held").isFalse();
            release.countDown();
            assertThat(settling.join(java.time.Duration.ofSeconds(10))).isTrue();
            assertThat(stored).hasSize(10);
        }
    }

    @Test
    void noMoreThanTheParallelLimitRunAtOnce() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        try (Adoptions adoptions = new Adoptions(THREADS)) {
            for (int i = 0; i < 40; i++) {
                adoptions.submit("f" + i, () -> {
                    most.accumulateAndGet(running.incrementAndGet(), Math::max);
                    sleep(5);
                    running.decrementAndGet();
                });
            }
            adoptions.settle();
        }
        assertThat(most.get()).isBetween(2, Adoptions.PARALLEL);
    }

    @Test
    void aRefusalIsReportedOnceToTheNextSettle() throws Exception {
        try (Adoptions adoptions = new Adoptions(THREADS)) {
            adoptions.submit("good", () -> { });
            adoptions.submit("bad", () -> {
                throw new FileSystemException("/home/bad.txt", null, "the upload was not stored: no WRITE");
            });
            assertThatThrownBy(adoptions::settle).isInstanceOf(FileSystemException.class)
                    .hasMessageContaining("/home/bad.txt").hasMessageContaining("not stored");
            adoptions.settle(); // told once
        }
    }

    @Test
    void aNewUploadOfANameWaitsForThatNameOnly() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean stored = new AtomicBoolean();
        try (Adoptions adoptions = new Adoptions(THREADS)) {
            adoptions.submit("same", () -> {
                await(release);
                stored.set(true);
            });
            adoptions.awaitKey("other"); // returns at once
            Thread waiting = Thread.ofVirtual().start(() -> {
                try {
                    adoptions.awaitKey("same");
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(waiting.join(java.time.Duration.ofMillis(200))).isFalse();
            release.countDown();
            assertThat(waiting.join(java.time.Duration.ofSeconds(10))).isTrue();
            assertThat(stored).isTrue();
        }
    }

    @Test
    void theSessionsEndWaitsForItsUploadsEvenWhenInterrupted() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean stored = new AtomicBoolean();
        Adoptions adoptions = new Adoptions(THREADS);
        adoptions.submit("slow", () -> {
            started.countDown();
            sleep(300);
            interrupted.set(Thread.currentThread().isInterrupted());
            stored.set(true);
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        Thread.currentThread().interrupt(); // as MINA interrupts a closing session's thread
        try {
            adoptions.close();
            assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(stored).as("close returned before the upload was stored").isTrue();
        assertThat(interrupted).as("the adoption itself was interrupted").isFalse();
    }

    @Test
    @org.junit.jupiter.api.Timeout(10)
    void aStoppingServerRefusesTheCloseInsteadOfLeavingTheSessionWaiting() throws Exception {
        java.util.concurrent.ExecutorService stopped = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
        stopped.close();
        try (Adoptions adoptions = new Adoptions(stopped)) {
            assertThatThrownBy(() -> adoptions.submit("late", () -> { })).isInstanceOf(IOException.class)
                    .hasMessageContaining("stopping");
            adoptions.settle(); // nothing is left waiting
        }
    }

    private static void await(CountDownLatch latch) throws IOException {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IOException("never released");
            }
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
