// The LSTM cell's math, shared by lstm_cell.c (the cell over a row of gates) and lstm_step.c
// (the fused step, which runs it on its register tile's gates): one copy of the code, so that
// both compile to the same operations and give the same bits.
#ifndef LSTM_CELL_MATH_H
#define LSTM_CELL_MATH_H

static inline float exp_approx(float v) {
    float x = v < -87.3f ? -87.3f : v;
    x = x > 88.3f ? 88.3f : x;
    float t = x * 1.44269504f + 12582912.0f;
    float n = t - 12582912.0f;
    float f = x - n * 0.693359375f - n * -2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * f + 1.3981999507e-3f;
    p = p * f + 8.3334519073e-3f;
    p = p * f + 4.1665795894e-2f;
    p = p * f + 1.6666665459e-1f;
    p = p * f + 5.0000001201e-1f;
    p = p * (f * f) + f + 1.0f;
    union { float f; int i; } bits = {t}, scale;
    int k = bits.i - 0x4B400000;
    scale.i = (k + 127) << 23;
    return p * scale.f;
}

static inline float sigmoid_approx(float x) { return 1.0f / (1.0f + exp_approx(-x)); }

static inline float tanh_approx(float x) {
    float ax = x < 0 ? -x : x;
    float e = exp_approx(-2.0f * ax);
    float big = (1.0f - e) / (1.0f + e);
    float x2 = x * x;
    float small = ax * (1.0f + x2 * (-1.0f / 3 + x2 * (2.0f / 15 + x2 * (-17.0f / 315))));
    float t = ax < 0.0625f ? small : big;
    return x < 0 ? -t : t;
}

#define LSTM_CELL_BODY                                                                    \
    float *restrict gi = gates, *restrict gf = gates + n, *restrict gg = gates + 2 * n,  \
          *restrict go = gates + 3 * n;                                                  \
    for (long j = 0; j < n; j++) {                                                        \
        float cj = sigmoid_approx(gf[j]) * c[j] + sigmoid_approx(gi[j]) * tanh_approx(gg[j]); \
        c[j] = cj;                                                                        \
        h[j] = sigmoid_approx(go[j]) * tanh_approx(cj);                                   \
    }

#endif
