package org.arca.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class GroupSyncTest {

    /** Flushes numbered in the order they start; the highest number finished so far. */
    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();

    @RepeatedTest(20)
    void nobodyReturnsBeforeAFlushThatStartedAfterItsCall() throws Exception {
        GroupSync sync = new GroupSync(() -> {
            int number = started.incrementAndGet();
            Thread.onSpinWait();
            finished.accumulateAndGet(number, Math::max);
        });
        AtomicReference<String> broken = new AtomicReference<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            callers.add(Thread.ofVirtual().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int call = 0; call < 50; call++) {
                    int before = started.get();
                    sync.awaitDurable();
                    if (finished.get() < before + 1) {
                        broken.set("returned after flush " + finished.get() + " though flush " + before
                                + " had started before the call");
                    }
                }
            }));
        }
        go.countDown();
        for (Thread caller : callers) {
            caller.join();
        }
        assertThat(broken.get()).isNull();
        assertThat(sync.commits()).isEqualTo(16 * 50);
    }

    @Test
    void commitsArrivingDuringAFlushShareTheNextOne() throws Exception {
        int callers = 8;
        CountDownLatch allArrived = new CountDownLatch(1);
        AtomicReference<GroupSync> holder = new AtomicReference<>();
        GroupSync sync = new GroupSync(() -> {
            // The first flush holds on until every other caller is waiting, so they can only share the second.
            if (started.incrementAndGet() == 1) {
                while (holder.get().commits() < callers) {
                    Thread.onSpinWait();
                }
                allArrived.countDown();
            }
        });
        holder.set(sync);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            threads.add(Thread.ofPlatform().start(sync::awaitDurable));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(allArrived.getCount()).isZero();
        assertThat(sync.flushes()).isEqualTo(2);
    }

    @Test
    void aFailedFlushFailsItsCallerAndTheNextCallFlushesAgain() {
        AtomicInteger calls = new AtomicInteger();
        GroupSync sync = new GroupSync(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new java.io.IOException("disk full");
            }
        });
        assertThatThrownBy(sync::awaitDurable).hasMessageContaining("could not make a commit durable")
                .hasRootCauseMessage("disk full");
        sync.awaitDurable();
        assertThat(calls.get()).isEqualTo(2);
    }
}
