package org.arca.dicom;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.util.function.BiFunction;

/**
 * The DICOM JSON Model of PS3.18 Annex F: writes {@link Attributes} as JSON and reads them back.
 *
 * <p>Writing follows the conventions DCMTK's {@code dcm2json} uses where the standard leaves a
 * choice: keys in ascending tag order, DS and IS as JSON numbers, SV and UV as numbers unless
 * beyond 2^53, Specific Character Set given as {@code ISO_IR 192} (the JSON text is Unicode),
 * empty PN component groups and trailing component separators left out.
 *
 * <p>Encapsulated pixel data has no inline form in PS3.18; Arca writes it as {@code InlineBinary}
 * of its item stream (offset table and fragment items, then the sequence delimiter) and reads
 * that form back.
 *
 * <p>Thread-safe. Streams and writers passed in are flushed, not closed.
 */
public final class DicomJson {

    /**
     * How to write.
     *
     * @param bulkDataThreshold binary values (OB, OD, OF, OL, OV, OW, UN and pixel data) longer than
     *                          this are written as {@code BulkDataURI} when {@code bulkDataUri} is
     *                          given; -1 writes every value inline
     * @param bulkDataUri       makes the URI of a large value from the dataset's path to it (as a
     *                          string of tags such as {@code "00081140/0/7FE00010"}) and the element;
     *                          null writes every value inline
     * @param pretty            indent the output
     */
    public record Options(long bulkDataThreshold, BiFunction<String, Element, String> bulkDataUri, boolean pretty) {
        /** Every value inline, compact. */
        public static final Options INLINE = new Options(-1, null, false);

        public Options withPretty(boolean p) {
            return new Options(bulkDataThreshold, bulkDataUri, p);
        }

        public Options withBulkData(long threshold, BiFunction<String, Element, String> uri) {
            return new Options(threshold, uri, pretty);
        }
    }

    static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(1000).build())
            .build();

    private DicomJson() {
    }

    public static void write(Attributes attrs, OutputStream out, Options options) throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(attrs, g, options);
        }
    }

    /**
     * Writes one dataset to {@code out} without flushing it: answers made of many datasets (a QIDO page) go to
     * the network in large writes, not one per dataset. The caller flushes.
     */
    public static void write(Attributes attrs, Writer out, Options options) throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
            write(attrs, g, options);
        }
    }

    public static String toJson(Attributes attrs, Options options) {
        java.io.StringWriter w = new java.io.StringWriter();
        try {
            write(attrs, w, options);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return w.toString();
    }

    private static void write(Attributes attrs, JsonGenerator g, Options options) throws IOException {
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        if (options.pretty()) {
            g.useDefaultPrettyPrinter();
        }
        new JsonDatasetWriter(g, options).writeDataset(attrs, "");
        g.flush();
    }

    /**
     * Reads one dataset. Text values are held in UTF-8, so a dataset with text gets Specific
     * Character Set {@code ISO_IR 192}.
     *
     * @throws DicomFormatException if the JSON does not follow the model (offset is the character
     *                              offset in the JSON text)
     */
    public static Attributes read(InputStream in) throws IOException {
        try (JsonParser p = FACTORY.createParser(in)) {
            p.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
            return new JsonDatasetReader(p).readTopLevel();
        }
    }

    public static Attributes read(Reader in) throws IOException {
        try (JsonParser p = FACTORY.createParser(in)) {
            p.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
            return new JsonDatasetReader(p).readTopLevel();
        }
    }

    public static Attributes fromJson(String json) throws IOException {
        return read(new java.io.StringReader(json));
    }
}
