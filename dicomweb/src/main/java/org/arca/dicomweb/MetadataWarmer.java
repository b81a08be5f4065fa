package org.arca.dicomweb;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.arca.core.ItemListener;
import org.arca.core.StoredBytes;
import org.arca.core.StoredFile;
import org.arca.core.access.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes each stored DICOM instance's WADO-RS metadata as it arrives, on a thread of its own after the commit, so
 * the first viewer to open a series finds its metadata made instead of waiting for a parse of every instance. Only
 * a cache is filled: when uploads come faster than this thread keeps up, the excess is left to the first request,
 * as before.
 */
final class MetadataWarmer implements ItemListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataWarmer.class);

    private final StoredBytes bytes;
    private final MetadataCache cache;
    private final ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(100_000), Thread.ofPlatform().daemon().name("dicom-metadata-warmer").factory(),
            new ThreadPoolExecutor.DiscardPolicy());

    MetadataWarmer(StoredBytes bytes, MetadataCache cache) {
        this.bytes = bytes;
        this.cache = cache;
    }

    @Override
    public void itemChanged(ItemEvent event) {
        itemsChanged(List.of(event));
    }

    @Override
    public void itemsChanged(List<ItemEvent> events) {
        for (ItemEvent event : events) {
            // The ingest path read a header only for DICOM: other files are not this cache's business.
            if (event.change() != Change.DELETED && event.facts().get(ParsedHeader.class).isPresent()) {
                StoredFile file = event.item().primaryFile();
                worker.execute(() -> warm(file));
            }
        }
    }

    private void warm(StoredFile file) {
        try {
            cache.prepare(bytes.read(Caller.SYSTEM, file, StoredBytes.Audit.partOf("dicom.metadata")), file.sha256());
        } catch (Exception e) {
            // Deleted meanwhile, or unreadable: the first request for it decides, and reports, as it would have.
            LOG.debug("metadata of item {} not made ahead: {}", file.itemId(), e.getClass().getSimpleName());
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
