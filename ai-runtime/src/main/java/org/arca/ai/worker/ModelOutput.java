package org.arca.ai.worker;

import ai.djl.ndarray.NDArray;

/**
 * A frame's raw result: the model's first output, its values ({@code scores}) and {@code shape}, and the shape as
 * printed ({@code shown}) for an error. Copied out of the tensor, so the frame's memory can go before the result
 * is labelled and written.
 */
record ModelOutput(float[] scores, long[] shape, String shown) {

    static ModelOutput of(NDArray first) {
        return new ModelOutput(first.toFloatArray(), first.getShape().getShape(), first.getShape().toString());
    }

    /** The frame's result as {@code request} asks for it: the scores, or a label map of the frame or the volume. */
    FrameResult result(WorkerRequest request) {
        if (request.scoresOnly()) {
            return FrameResult.ofScores(scores);
        }
        return request.volume() ? volume(request) : frame(request);
    }

    private FrameResult volume(WorkerRequest request) {
        if (shape.length != 4 && shape.length != 5 || shape[0] != 1) {
            throw new IllegalStateException("the model's first output has shape " + shown
                    + "; a volume's label map needs [1, C, D, H, W] or [1, D, H, W]");
        }
        int d = (int) shape[shape.length - 3];
        int h = (int) shape[shape.length - 2];
        int w = (int) shape[shape.length - 1];
        int channels = shape.length == 5 ? (int) shape[1] : 1;
        return request.fractional() ? FractionalMaps.of(scores, channels, d, h, w, request.activation())
                : LabelMaps.volume(scores, channels, d, h, w, request.threshold());
    }

    private FrameResult frame(WorkerRequest request) {
        if (shape.length < 2) {
            throw new IllegalStateException("the model's first output has shape " + shown
                    + "; a label map needs [1, C, H, W] or [1, H, W]");
        }
        int h = (int) shape[shape.length - 2];
        int w = (int) shape[shape.length - 1];
        int channels = shape.length == 4 ? (int) shape[1] : 1;
        return request.fractional() ? FractionalMaps.of(scores, channels, 1, h, w, request.activation())
                : LabelMaps.label(scores, channels, h, w, request.threshold(), request.minArea());
    }
}
