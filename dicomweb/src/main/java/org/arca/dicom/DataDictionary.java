package org.arca.dicom;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The PS3.6 data dictionary: keyword, VR, VM and retirement of every standard data element,
 * including repeating groups such as (60xx,3000). Loaded once from {@code dictionary.tsv}, which
 * {@code dicomweb/tools/gen_dictionary.py} generates from DCMTK's {@code dicom.dic}.
 *
 * <p>Immutable and safe to use from any thread.
 */
public final class DataDictionary {

    /**
     * One registry row. {@code vrs} lists the possible VRs, the first being the one an Implicit VR
     * reader assumes (e.g. US before SS for "US or SS").
     */
    public record Entry(String keyword, List<VR> vrs, String vm, boolean retired) {
        public VR vr() {
            return vrs.get(0);
        }
    }

    private record Range(int groupLo, int groupHi, int groupStep, int elemLo, int elemHi, int elemStep,
                         Entry entry) {
        boolean matches(int tag) {
            int g = Tag.group(tag);
            int e = Tag.element(tag);
            return g >= groupLo && g <= groupHi && (g - groupLo) % groupStep == 0
                    && e >= elemLo && e <= elemHi && (e - elemLo) % elemStep == 0;
        }
    }

    private static final Map<Integer, Entry> EXACT = new HashMap<>(8192);
    private static final List<Range> RANGES = new ArrayList<>();
    private static final Map<String, Integer> BY_KEYWORD = new HashMap<>(8192);

    static {
        try (InputStream in = DataDictionary.class.getResourceAsStream("dictionary.tsv")) {
            if (in == null) {
                throw new IllegalStateException("dictionary.tsv missing from the classpath");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                List<VR> vrs = new ArrayList<>();
                for (String v : f[1].split("\\|")) {
                    vrs.add(VR.valueOf(v));
                }
                Entry entry = new Entry(f[3], List.copyOf(vrs), f[2], "R".equals(f[4]));
                if (f[0].indexOf(',') < 0) {
                    int tag = Integer.parseUnsignedInt(f[0], 16);
                    EXACT.put(tag, entry);
                    BY_KEYWORD.putIfAbsent(entry.keyword(), tag);
                } else {
                    String[] ge = f[0].split(",");
                    int[] g = range(ge[0]);
                    int[] e = range(ge[1]);
                    RANGES.add(new Range(g[0], g[1], g[2], e[0], e[1], e[2], entry));
                    BY_KEYWORD.putIfAbsent(entry.keyword(), Tag.of(g[0], e[0]));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int[] range(String s) {
        int slash = s.indexOf('/');
        String[] lohi = s.substring(0, slash).split("-");
        return new int[] {Integer.parseInt(lohi[0], 16), Integer.parseInt(lohi[1], 16),
                Integer.parseInt(s.substring(slash + 1))};
    }

    private DataDictionary() {
    }

    /** The registry entry of a standard tag, if any. */
    public static Optional<Entry> lookup(int tag) {
        Entry e = EXACT.get(tag);
        if (e != null) {
            return Optional.of(e);
        }
        for (Range r : RANGES) {
            if (r.matches(tag)) {
                return Optional.of(r.entry());
            }
        }
        return Optional.empty();
    }

    /**
     * The VR an Implicit VR reader assumes for a tag: the registry's, UL for group lengths, LO for
     * private creators, UN for anything unknown (including private data elements).
     */
    public static VR vrOf(int tag) {
        if (Tag.element(tag) == 0) {
            return VR.UL;
        }
        if (Tag.isPrivateCreator(tag)) {
            return VR.LO;
        }
        if (Tag.isPrivate(tag)) {
            return VR.UN;
        }
        return lookup(tag).map(Entry::vr).orElse(VR.UN);
    }

    /** The keyword of a tag, or the empty string for unknown and private tags. */
    public static String keywordOf(int tag) {
        return Tag.isPrivate(tag) ? "" : lookup(tag).map(Entry::keyword).orElse("");
    }

    /** The tag with a keyword (for repeating groups, the first group of the range). */
    public static Optional<Integer> tagOf(String keyword) {
        return Optional.ofNullable(BY_KEYWORD.get(keyword));
    }
}
