package org.arca.ai;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.arca.ai.worker.FrameResult;
import org.arca.core.ItemStore;

/**
 * A boxes job's results as they come in, a frame at a time in series order: each frame's boxes in its own pixel
 * coordinates, the count per input instance, and each instance's overlay, started on a pool as soon as the
 * instance's last frame is in, so drawing and encoding run while the worker infers the next frames. Makes no
 * item: {@link #overlays} hands the overlays over, in series order, for the caller to store. Used from one thread;
 * close to stop drawing.
 */
final class BoxResults implements AutoCloseable {
    /** Draws one instance's overlay and makes its bytes durable: the item to create for it. */
    interface Overlay {
        ItemStore.NewItem make(SourceFrame frame, List<double[]> boxes) throws Exception;
    }

    private final Overlay overlay;
    private final ExecutorService pool = Executors.newFixedThreadPool(InOrder.threads(),
            Thread.ofPlatform().daemon().name("arca-ai-overlay-", 0).factory());
    private final ArrayDeque<Future<ItemStore.NewItem>> drawn = new ArrayDeque<>();
    private final List<Map<String, Object>> instances = new ArrayList<>();
    private final Map<String, Integer> counts = new LinkedHashMap<>();
    private SourceFrame first;
    private List<double[]> boxes = new ArrayList<>();

    BoxResults(Overlay overlay) {
        this.overlay = overlay;
    }

    /** The next frame's result; its instance's overlay starts once a frame of another instance follows. */
    void accept(SourceFrame f, FrameResult r) {
        if (first != null && !first.itemId().equals(f.itemId())) {
            endInstance();
        }
        if (first == null) {
            first = f;
        }
        double sx = (double) f.columns() / r.width();
        double sy = (double) f.rows() / r.height();
        List<double[]> frameBoxes = new ArrayList<>();
        for (FrameResult.Box b : r.boxes()) {
            frameBoxes.add(new double[] {Math.floor(b.x0() * sx), Math.floor(b.y0() * sy), Math.ceil(b.x1() * sx),
                    Math.ceil(b.y1() * sy), Math.round(b.score() * 1000) / 1000.0});
        }
        boxes.addAll(frameBoxes);
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("sopInstanceUid", f.sopInstanceUid());
        entry.put("frame", f.frameNumber());
        entry.put("boxes", frameBoxes);
        instances.add(entry);
    }

    private void endInstance() {
        counts.merge(first.itemId(), boxes.size(), Integer::sum);
        if (!boxes.isEmpty()) {
            SourceFrame frame = first;
            List<double[]> found = boxes;
            drawn.add(pool.submit(() -> overlay.make(frame, found)));
        }
        first = null;
        boxes = new ArrayList<>();
    }

    /** Per frame, in series order: its instance, frame number and boxes, as the JSON document lists them. */
    List<Map<String, Object>> instances() {
        return instances;
    }

    /** The number of boxes per input item, in series order; complete once {@link #overlays} ran. */
    Map<String, Integer> counts() {
        return counts;
    }

    /**
     * Ends the last instance and hands each overlay to {@code sink} in series order as it is ready. The first
     * failure is thrown as it was (an {@link IOException} or a runtime exception).
     */
    void overlays(InOrder.Sink<ItemStore.NewItem> sink) throws IOException {
        if (first != null) {
            endInstance();
        }
        while (!drawn.isEmpty()) {
            sink.accept(InOrder.await(drawn.poll(), "drawing overlays"));
        }
    }

    /** Stops drawing; overlays being drawn end before this returns. */
    @Override
    public void close() {
        drawn.forEach(f -> f.cancel(true));
        pool.shutdownNow();
        try {
            pool.awaitTermination(10, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
