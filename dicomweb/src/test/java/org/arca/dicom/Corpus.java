package org.arca.dicom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The committed conformance corpus (built by tools/corpus/make_corpus.sh) and JSON normalisation. */
final class Corpus {
    static final Path DIR = Path.of("src/test/resources/corpus");
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Corpus() {
    }

    static List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.filter(p -> p.toString().endsWith(".dcm")).sorted().toList();
        }
    }

    static Path sibling(Path dcm, String ext) {
        String n = dcm.getFileName().toString();
        return dcm.resolveSibling(n.substring(0, n.length() - 4) + ext);
    }

    /**
     * Normalises what PS3.18 leaves free so two encoders' JSON can be compared: number spelling
     * (1.50 and 1.5, 0 and 0.0; FL compared at float precision) and member order.
     */
    static JsonNode normalise(JsonNode dataset) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        Iterator<Map.Entry<String, JsonNode>> it = dataset.fields();
        java.util.TreeMap<String, JsonNode> sorted = new java.util.TreeMap<>();
        while (it.hasNext()) {
            var e = it.next();
            sorted.put(e.getKey(), e.getValue());
        }
        for (var e : sorted.entrySet()) {
            JsonNode attr = e.getValue();
            ObjectNode a = out.putObject(e.getKey());
            String vr = attr.path("vr").asText();
            a.put("vr", vr);
            if (attr.has("InlineBinary")) {
                a.put("InlineBinary", attr.get("InlineBinary").asText());
            }
            if (attr.has("BulkDataURI")) {
                a.put("BulkDataURI", attr.get("BulkDataURI").asText());
            }
            if (attr.has("Value")) {
                var arr = a.putArray("Value");
                for (JsonNode v : attr.get("Value")) {
                    if (v.isNumber()) {
                        if (vr.equals("FL")) {
                            arr.add(Float.toString(v.floatValue()));
                        } else {
                            arr.add(new BigDecimal(v.asText()).stripTrailingZeros().toPlainString());
                        }
                    } else if (v.isObject() && vr.equals("SQ")) {
                        arr.add(normalise(v));
                    } else {
                        arr.add(v);
                    }
                }
            }
        }
        return out;
    }
}
