#ifndef MOLVAE_MPI_H
#define MOLVAE_MPI_H

// A plain C face of the few Open MPI calls molvae makes, resolved at run time with dlopen
// (libmpi.so.40) only when the process was started by mpirun. Nothing here links against MPI, so
// a machine without Open MPI builds and runs molvae; Swift never sees an MPI macro or handle.
//
// Every call returns 0 on success; on failure a non-zero code and molvae_mpi_error() says why.
// All calls must come from the process's main thread (MPI_THREAD_FUNNELED).

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// 1 when the environment says this process was started by mpirun (OMPI_COMM_WORLD_SIZE, or
/// PMIX_RANK for another PMIx launcher), else 0. Does not touch MPI.
int molvae_mpi_launched(void);

/// Loads libmpi.so.40 and calls MPI_Init_thread. Idempotent.
int molvae_mpi_init(void);
int molvae_mpi_rank(void);
int molvae_mpi_size(void);
const char *molvae_mpi_error(void);

/// In-place sums over all ranks.
int molvae_mpi_allreduce_sum_float(float *values, int64_t count);
int molvae_mpi_allreduce_sum_double(double *values, int64_t count);
int molvae_mpi_allreduce_sum_int64(int64_t *values, int64_t count);
int molvae_mpi_allreduce_max_int64(int64_t *values, int64_t count);

/// Root's bytes into every rank's buffer (count equal on every rank).
int molvae_mpi_broadcast(void *bytes, int64_t count, int root);

/// Every rank's `count` int64 into `out` (size * count values, rank-major).
int molvae_mpi_allgather_int64(const int64_t *values, int64_t count, int64_t *out);

/// Variable-length bytes from every rank into `out` on every rank (allgather) or on root only
/// (gather): counts[r] bytes of rank r land at displacements[r]. Counts are int as MPI wants.
int molvae_mpi_allgatherv(const void *bytes, int count, void *out, const int *counts, const int *displacements);
int molvae_mpi_gatherv(const void *bytes, int count, void *out, const int *counts, const int *displacements, int root);

int molvae_mpi_barrier(void);
/// A barrier that waits asleep (MPI_Ibarrier, then MPI_Test every millisecond) instead of
/// spinning as Open MPI's blocking collectives do: for ranks that wait while rank 0 works alone,
/// so that their cores stay free for it.
int molvae_mpi_quiet_barrier(void);
/// Ends MPI cleanly (every rank must call it) ...
int molvae_mpi_finalize(void);
/// ... or stops every rank of the job at once (for a failure the other ranks do not know about).
void molvae_mpi_abort(int code);
/// Seconds from MPI_Wtime.
double molvae_mpi_time(void);

#ifdef __cplusplus
}
#endif
#endif
