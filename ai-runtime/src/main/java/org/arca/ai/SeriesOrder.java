package org.arca.ai;

import java.util.Comparator;
import java.util.List;
import org.arca.dicom.Attributes;
import org.arca.dicom.Tag;

/**
 * Orders a series' instances as a volume: by the position of each slice along the normal of its image plane when
 * every instance has ImagePositionPatient and ImageOrientationPatient, else by InstanceNumber; SOP Instance UID
 * breaks ties so the order is the same on every run.
 */
final class SeriesOrder {
    static final int IMAGE_POSITION_PATIENT = 0x00200032;
    static final int IMAGE_ORIENTATION_PATIENT = 0x00200037;

    private SeriesOrder() {
    }

    static <T> void sort(List<T> instances, java.util.function.Function<T, Attributes> header) {
        boolean geometric = instances.stream().map(header).allMatch(a -> a.doubles(IMAGE_POSITION_PATIENT).length == 3
                && a.doubles(IMAGE_ORIENTATION_PATIENT).length == 6);
        Comparator<T> order = geometric
                ? Comparator.comparingDouble(t -> alongNormal(header.apply(t)))
                : Comparator.comparingInt(t -> header.apply(t).getInt(Tag.InstanceNumber, Integer.MAX_VALUE));
        instances.sort(order.thenComparing(t -> header.apply(t).getString(Tag.SOPInstanceUID, "")));
    }

    static double alongNormal(Attributes a) {
        double[] o = a.doubles(IMAGE_ORIENTATION_PATIENT);
        double[] p = a.doubles(IMAGE_POSITION_PATIENT);
        double nx = o[1] * o[5] - o[2] * o[4];
        double ny = o[2] * o[3] - o[0] * o[5];
        double nz = o[0] * o[4] - o[1] * o[3];
        return p[0] * nx + p[1] * ny + p[2] * nz;
    }
}
