package org.arca.ai;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.arca.ai.worker.TensorFile;
import org.arca.ai.worker.TensorRecipe;
import org.arca.dicom.Attributes;
import org.arca.dicom.image.DecodedFrame;

/**
 * Makes one volume tensor of a series' slices: each slice through the modality LUT, window, mean and std as a 2D
 * frame is ({@link FrameTensors}), resized in its plane (bilinear), then the stack resampled along the slices
 * (linear): trilinear as a whole, with voxel centres aligned as {@link TensorRecipe#resize} aligns pixel centres.
 * Slices are decoded and resized on every processor, one at a time each, so the server holds the resized stack
 * and the tensor, never the series at its own size.
 */
final class VolumeTensors {
    /** A slice to decode: its header and how to get its one frame. */
    interface Slice {
        Attributes header();

        DecodedFrame decode() throws IOException;
    }

    private VolumeTensors() {
    }

    /**
     * The tensor {@code [1, 1, D, H, W]} ({@code NCDHW}) of {@code slices} (in volume order) at {@code size} =
     * {D, H, W}.
     */
    static TensorFile.Tensor of(ModelManifest.InputSpec in, List<? extends Slice> slices, int[] size) throws IOException {
        int d = size[0];
        int h = size[1];
        int w = size[2];
        TensorRecipe recipe = new TensorRecipe(1, in.mean().stream().mapToDouble(Double::doubleValue).toArray(),
                in.std().stream().mapToDouble(Double::doubleValue).toArray(), h, w, true);
        List<InOrder.Task<float[]>> resize = new ArrayList<>();
        for (Slice s : slices) {
            resize.add(() -> {
                DecodedFrame frame = s.decode();
                return recipe.tensor(FrameTensors.modality(in, s.header(), frame, 1), frame.description().rows(),
                        frame.description().columns()).values();
            });
        }
        List<float[]> stack = new ArrayList<>(slices.size());
        InOrder.run(resize, stack::add);
        int plane = h * w;
        float[] values = new float[Math.multiplyExact(d, plane)];
        int depth = stack.size();
        for (int z = 0; z < d; z++) {
            double sz = Math.max(0, Math.min(depth - 1, (z + 0.5) * depth / d - 0.5));
            int z0 = (int) sz;
            int z1 = Math.min(depth - 1, z0 + 1);
            double f = sz - z0;
            float[] a = stack.get(z0);
            float[] b = stack.get(z1);
            for (int i = 0; i < plane; i++) {
                values[z * plane + i] = (float) (a[i] * (1 - f) + b[i] * f);
            }
        }
        return new TensorFile.Tensor(new long[] {1, 1, d, h, w}, values);
    }
}
