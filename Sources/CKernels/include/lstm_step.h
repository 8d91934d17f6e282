// One LSTM time step for a batch of rows on the packed AVX-512 tile, without the gates matrix:
// ChemNet's second LSTM spends nearly all its time in [rows, 512] · W_hhᵀ [512 → 2048] per step,
// and the unfused step (copy the input half of the gates into a [rows, 2048] matrix, add the
// product in two K blocks, run the cell over it) passes over that 4 MB matrix, larger than L2,
// six times per step. Here each register tile's gates go from the accumulators through the cell
// (lstm_step.c). Measured gain: about 5% of ChemNet's time (docs/benchmarks.md); that traffic was
// mostly hidden behind the FMAs.
//
// The gate columns are interleaved: packed column q = 32·p + 8·gate + u holds gate `gate` (i, f,
// g, o) of hidden unit 8·p + u, so that one 32-column panel holds all four gates of 8 units. The
// input half of the gates must come in the same order (W_ih's rows and the bias permuted the
// same way, mk_lstm_interleaved_row).
//
// The result is the same bits as the unfused step on the packed kernel: the same FMA chain per K
// block, the K blocks added in the same order to the input half, the same cell code. Only for
// CPUs where mk_gemm_avx512_available() is 1.
#ifndef LSTM_STEP_H
#define LSTM_STEP_H

#ifdef __cplusplus
extern "C" {
#endif

// The row of W_hh (or W_ih, or the bias's element) that interleaved column q reads, for hidden
// size `hidden` (a multiple of 8).
long mk_lstm_interleaved_row(long q, long hidden);

// Floats of scratch a step of m rows needs (the packed h of a row block; includes alignment room).
long mk_lstm_step_scratch_size(long m, long hidden);

// One step for rows 0..<m: gates = inputs[r] (4·hidden floats, interleaved) + h_in[r] · W_hhᵀ,
// then c[r] ← σ(f)·c[r] + σ(i)·tanh(g) in place and h_out[r] ← σ(o)·tanh(c[r]). packed_hh is
// W_hh with its rows interleaved, packed by mk_gemm_pack (n = 4·hidden, k = hidden). h_in, h_out
// and c are [m, hidden], contiguous; h_out must not overlap h_in. inputs[r] may repeat (rows that
// share an input half). hidden must be a multiple of 8.
void mk_lstm_fused_step(long m, long hidden, const float *const *inputs, const float *packed_hh,
                        const float *h_in, float *h_out, float *c, float *scratch);

#ifdef __cplusplus
}
#endif
#endif
