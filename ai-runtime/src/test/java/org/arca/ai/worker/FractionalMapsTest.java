package org.arca.ai.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The worker's probability planes and the binary form that carries them to the server. */
class FractionalMapsTest {

    @Test
    void severalChannelsAreSoftmaxedPerPixelAndTheBackgroundIsNotKept() {
        // Two pixels, three channels (background, a, b): logits chosen so the probabilities are known.
        float ln2 = (float) Math.log(2);
        float[] logits = {0, 0, ln2, 0, 0, 0};
        FrameResult r = FractionalMaps.of(logits, 3, 1, 1, 2, "softmax");
        assertThat(r.planes()).isEqualTo(2);
        // Pixel 0: (1, 2, 1) / 4; pixel 1: (1, 1, 1) / 3.
        assertThat(r.plane(1)).containsExactly((byte) 128, (byte) 85);
        assertThat(r.plane(2)).containsExactly((byte) 64, (byte) 85);
        assertThat(r.labels()).isEmpty();
    }

    @Test
    void oneChannelIsTheProbabilityOfTheOneLabel() {
        FrameResult sigmoid = FractionalMaps.of(new float[] {0, 100, -100, (float) Math.log(3)}, 1, 1, 2, 2, "sigmoid");
        assertThat(sigmoid.plane(1)).containsExactly((byte) 128, (byte) 255, (byte) 0, (byte) 191);
        FrameResult none = FractionalMaps.of(new float[] {-0.5f, 0.2f, 1.7f, Float.NaN}, 1, 1, 2, 2, "none");
        assertThat(none.plane(1)).containsExactly((byte) 0, (byte) 51, (byte) 255, (byte) 0);
    }

    @Test
    void resultsSurviveTheirBinaryFormWhateverTheyHold() throws IOException {
        Random random = new Random(3);
        for (int n = 0; n < 50; n++) {
            int d = 1 + random.nextInt(4);
            int h = 1 + random.nextInt(9);
            int w = 1 + random.nextInt(9);
            byte[] bytes = new byte[d * h * w * (1 + random.nextInt(4))];
            random.nextBytes(bytes);
            FrameResult fractions = FrameResult.ofFractions(d, h, w, bytes);
            FrameResult volume = FrameResult.ofLabels(d, h, w, java.util.Arrays.copyOf(bytes, d * h * w));
            FrameResult labels = new FrameResult(h, w, java.util.Arrays.copyOf(bytes, h * w),
                    List.of(new FrameResult.Box(1, 0, 0, w, h, 0.5f)));
            FrameResult scores = FrameResult.ofScores(new float[] {random.nextFloat(), random.nextFloat()});
            for (FrameResult r : List.of(fractions, volume, labels, scores)) {
                FrameResult back = FrameResult.read(new DataInputStream(new ByteArrayInputStream(bytes(r))));
                assertThat(back.depth()).isEqualTo(r.depth());
                assertThat(back.height()).isEqualTo(r.height());
                assertThat(back.width()).isEqualTo(r.width());
                assertThat(back.labels()).isEqualTo(r.labels());
                assertThat(back.boxes()).isEqualTo(r.boxes());
                assertThat(back.scores()).isEqualTo(r.scores());
                assertThat(back.fractions()).isEqualTo(r.fractions());
            }
        }
    }

    @Test
    void aTruncatedOrInconsistentResultIsRefusedNotMisread() throws IOException {
        byte[] whole = bytes(FrameResult.ofFractions(1, 4, 4, new byte[32]));
        assertThatThrownBy(() -> FrameResult.read(new DataInputStream(new ByteArrayInputStream(
                java.util.Arrays.copyOf(whole, whole.length - 1))))).isInstanceOf(IOException.class);
        // Planes claimed for a result without a size.
        byte[] scores = bytes(FrameResult.ofScores(new float[0]));
        scores[scores.length - 1] = 3;
        assertThatThrownBy(() -> FrameResult.read(new DataInputStream(new ByteArrayInputStream(scores))))
                .isInstanceOf(IOException.class).hasMessageContaining("plane count");
        assertThatThrownBy(() -> FrameResult.ofFractions(1, 4, 4, new byte[17])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aVolumesSliceHoldsThatSliceOfEveryMap() {
        // Two labels' maps over 3 slices of 1 x 2: values say (label, slice, pixel).
        byte[] maps = {10, 11, 20, 21, 30, 31, 110, 111, 120, 121, (byte) 130, (byte) 131};
        FrameResult slice = FrameResult.ofFractions(3, 1, 2, maps).slice(1);
        assertThat(slice.depth()).isEqualTo(1);
        assertThat(slice.plane(1)).containsExactly(20, 21);
        assertThat(slice.plane(2)).containsExactly(120, 121);
        FrameResult labels = FrameResult.ofLabels(3, 1, 2, new byte[] {0, 1, 2, 3, 4, 5}).slice(2);
        assertThat(labels.labels()).containsExactly(4, 5);
    }

    private static byte[] bytes(FrameResult r) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DataOutputStream data = new DataOutputStream(out)) {
            r.write(data);
        }
        return out.toByteArray();
    }
}
