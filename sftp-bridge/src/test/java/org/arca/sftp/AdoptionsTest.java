package org.arca.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AdoptionsTest {
    private static final ExecutorService THREADS = Executors.newVirtualThreadPerTaskExecutor();

    /** An upload by name whose first step does what the test says. */
    private record Named(String name, Adoptions.Upload step) implements Adoptions.Upload {
        @Override
        public void prepare() throws IOException {
            step.prepare();
        }
    }

    /** Records what it is given, batch by batch, and refuses nothing. */
    private static final class Recording implements Adoptions.Recorder<Named> {
        final List<List<String>> batches = new CopyOnWriteArrayList<>();

        @Override
        public List<IOException> record(List<Named> uploads) throws IOException {
            batches.add(uploads.stream().map(Named::name).toList());
            return Collections.nCopies(uploads.size(), null);
        }

        List<String> stored() {
            return batches.stream().flatMap(List::stream).toList();
        }
    }

    @Test
    void settleReturnsOnlyOnceEveryHandedOverUploadIsStored() throws Exception {
        Recording recorder = new Recording();
        CountDownLatch release = new CountDownLatch(1);
        try (Adoptions<Named> adoptions = new Adoptions<>(THREADS, recorder)) {
            for (int i = 0; i < 10; i++) {
                adoptions.submit("f" + i, new Named("f" + i, () -> await(release)));
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
            assertThat(recorder.stored()).containsExactlyInAnyOrder("f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9");
        }
    }

    @Test
    void noMoreThanTheParallelLimitArePreparedAtOnce() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        try (Adoptions<Named> adoptions = new Adoptions<>(THREADS, new Recording())) {
            for (int i = 0; i < 40; i++) {
                adoptions.submit("f" + i, new Named("f" + i, () -> {
                    most.accumulateAndGet(running.incrementAndGet(), Math::max);
                    sleep(5);
                    running.decrementAndGet();
                }));
            }
            adoptions.settle();
        }
        assertThat(most.get()).isBetween(2, Adoptions.PARALLEL);
    }

    @Test
    void uploadsPreparedWhileABatchIsRecordedAreRecordedTogetherNext() throws Exception {
        CountDownLatch firstRecording = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        Recording recorder = new Recording();
        Adoptions.Recorder<Named> held = uploads -> {
            if (recorder.batches.isEmpty()) {
                firstRecording.countDown();
                await(releaseFirst);
            }
            return recorder.record(uploads);
        };
        try (Adoptions<Named> adoptions = new Adoptions<>(THREADS, held)) {
            adoptions.submit("first", new Named("first", () -> { }));
            assertThat(firstRecording.await(10, TimeUnit.SECONDS)).isTrue();
            List<String> later = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                later.add("f" + i);
                adoptions.submit("f" + i, new Named("f" + i, () -> { }));
            }
            for (int i = 0; i < 1000 && adoptions.waitingToBeRecorded() < 9; i++) {
                Thread.sleep(10);
            }
            releaseFirst.countDown();
            adoptions.settle();
            assertThat(recorder.batches).hasSize(2);
            assertThat(recorder.batches.get(0)).containsExactly("first");
            assertThat(recorder.batches.get(1)).containsExactlyInAnyOrderElementsOf(later);
        }
    }

    @Test
    void uploadsClosedOneAfterAnotherWithNobodyWaitingGatherIntoFewBatches() throws Exception {
        Recording recorder = new Recording();
        try (Adoptions<Named> adoptions = new Adoptions<>(THREADS, recorder)) {
            for (int i = 0; i < 10; i++) {
                adoptions.submit("g" + i, new Named("g" + i, () -> { }));
                Thread.sleep(1);
            }
            for (int i = 0; i < 1000 && recorder.stored().size() < 10; i++) {
                Thread.sleep(10);
            }
            assertThat(recorder.stored()).hasSize(10);
            // One per upload without lingering; a loaded machine may split them, never into ten.
            assertThat(recorder.batches.size()).isLessThan(5);
        }
    }

    @Test
    void aRefusalIsReportedOnceToTheNextSettle() throws Exception {
        try (Adoptions<Named> adoptions = new Adoptions<>(THREADS, new Recording())) {
            adoptions.submit("good", new Named("good", () -> { }));
            adoptions.submit("bad", new Named("bad", () -> {
                throw new FileSystemException("/home/bad.txt", null, "the upload was not stored: no WRITE");
            }));
            assertThatThrownBy(adoptions::settle).isInstanceOf(FileSystemException.class)
                    .hasMessageContaining("/home/bad.txt").hasMessageContaining("not stored");
            adoptions.settle(); // told once
        }
    }

    @Test
    void oneUploadRefusedWhenRecordedLeavesTheOthersOfItsBatchStored() throws Exception {
        Recording recorder = new Recording();
        Adoptions.Recorder<Named> refusingOne = uploads -> {
            recorder.record(uploads);
            return uploads.stream().map(u -> u.name().equals("refused") ? (IOException) new FileSystemException(
                    "/home/refused.txt", null, "the upload was not stored: a folder has that name") : null).toList();
        };
        try (Adoptions<Named> adoptions = new Adoptions<>(THREADS, refusingOne)) {
            adoptions.submit("a", new Named("a", () -> { }));
            adoptions.submit("refused", new Named("refused", () -> { }));
            adoptions.submit("b", new Named("b", () -> { }));
            assertThatThrownBy(adoptions::settle).isInstanceOf(FileSystemException.class)
                    .hasMessageContaining("/home/refused.txt").hasMessageContaining("a folder has that name")
                    .satisfies(e -> assertThat(e.getSuppressed()).isEmpty());
            adoptions.settle();
        }
        assertThat(recorder.stored()).containsExactlyInAnyOrder("a", "refused", "b");
    }

    @Test
    void aRecorderThatFailsRefusesItsWholeBatchAndTheSessionGoesOn() throws Exception {
        AtomicBoolean fail = new AtomicBoolean(true);
        Recording recorder = new Recording();
        Adoptions.Recorder<Named> failingOnce = uploads -> {
            if (fail.getAndSet(false)) {
                throw new IllegalStateException("database gone");
            }
            return recorder.record(uploads);
        };
        try (Adoptions<Named> adoptions = new Adoptions<>(THREADS, failingOnce)) {
            adoptions.submit("lost", new Named("lost", () -> { }));
            assertThatThrownBy(adoptions::settle).isInstanceOf(IOException.class)
                    .hasMessageContaining("could not be stored");
            adoptions.submit("next", new Named("next", () -> { }));
            adoptions.settle();
        }
        assertThat(recorder.stored()).containsExactly("next");
    }

    @Test
    void aNewUploadOfANameWaitsForThatNameOnly() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Recording recorder = new Recording();
        try (Adoptions<Named> adoptions = new Adoptions<>(THREADS, recorder)) {
            adoptions.submit("same", new Named("same", () -> await(release)));
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
            assertThat(recorder.stored()).containsExactly("same");
        }
    }

    @Test
    void theSessionsEndWaitsForItsUploadsEvenWhenInterrupted() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        Recording recorder = new Recording();
        Adoptions<Named> adoptions = new Adoptions<>(THREADS, recorder);
        adoptions.submit("slow", new Named("slow", () -> {
            started.countDown();
            sleep(300);
            interrupted.set(Thread.currentThread().isInterrupted());
        }));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        Thread.currentThread().interrupt(); // as MINA interrupts a closing session's thread
        try {
            adoptions.close();
            assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(recorder.stored()).as("close returned before the upload was stored").containsExactly("slow");
        assertThat(interrupted).as("the adoption itself was interrupted").isFalse();
    }

    @Test
    @org.junit.jupiter.api.Timeout(10)
    void aStoppingServerRefusesTheCloseInsteadOfLeavingTheSessionWaiting() throws Exception {
        ExecutorService stopped = Executors.newVirtualThreadPerTaskExecutor();
        stopped.close();
        try (Adoptions<Named> adoptions = new Adoptions<>(stopped, new Recording())) {
            assertThatThrownBy(() -> adoptions.submit("late", new Named("late", () -> { }))).isInstanceOf(IOException.class)
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
