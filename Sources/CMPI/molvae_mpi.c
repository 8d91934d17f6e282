// Open MPI resolved at run time. Open MPI's handles (MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM, ...) are
// macros over the addresses of exported globals (ompi_mpi_comm_world, ompi_mpi_float,
// ompi_mpi_op_sum, ...), so dlsym of those names gives the handles themselves. Handles are
// pointers in Open MPI's ABI; we keep them as void *.
#include "molvae_mpi.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef void *Handle;

static struct {
    int ready;
    int rank, size;
    void *library;
    Handle world, f32, f64, i64, byte, sum, max;
    int (*init_thread)(int *, char ***, int, int *);
    int (*initialized)(int *);
    int (*comm_rank)(Handle, int *);
    int (*comm_size)(Handle, int *);
    int (*allreduce)(const void *, void *, int, Handle, Handle, Handle);
    int (*bcast)(void *, int, Handle, int, Handle);
    int (*allgather)(const void *, int, Handle, void *, int, Handle, Handle);
    int (*allgatherv)(const void *, int, Handle, void *, const int *, const int *, Handle, Handle);
    int (*gatherv)(const void *, int, Handle, void *, const int *, const int *, Handle, int, Handle);
    int (*barrier)(Handle);
    int (*ibarrier)(Handle, Handle *);
    int (*test)(Handle *, int *, void *);
    int (*finalize)(void);
    int (*abort_)(Handle, int);
    double (*wtime)(void);
} mpi;

static char error_text[512];

const char *molvae_mpi_error(void) { return error_text; }

static int fail(const char *what, int code) {
    snprintf(error_text, sizeof error_text, "%s (MPI error %d)", what, code);
    return code == 0 ? -1 : code;
}

int molvae_mpi_launched(void) {
    return getenv("OMPI_COMM_WORLD_SIZE") != NULL || getenv("PMIX_RANK") != NULL;
}

#define RESOLVE(field, name)                                                                  \
    do {                                                                                      \
        *(void **)(&mpi.field) = dlsym(mpi.library, name);                                    \
        if (!mpi.field) {                                                                     \
            snprintf(error_text, sizeof error_text, "Open MPI's library has no symbol %s", name); \
            return -1;                                                                        \
        }                                                                                     \
    } while (0)

int molvae_mpi_init(void) {
    if (mpi.ready) return 0;
    // RTLD_GLOBAL: Open MPI's plugins (mca_*.so) resolve libmpi's symbols from the global scope.
    // MOLVAE_MPI_LIBRARY names another file (an Open MPI installed elsewhere; the tests use it to
    // play a machine without Open MPI): then that file alone is tried.
    const char *override = getenv("MOLVAE_MPI_LIBRARY");
    const char *names[] = {"libmpi.so.40", "libmpi.so"};
    if (override && *override) {
        mpi.library = dlopen(override, RTLD_NOW | RTLD_GLOBAL);
    } else {
        for (size_t i = 0; i < 2 && !mpi.library; i++) mpi.library = dlopen(names[i], RTLD_NOW | RTLD_GLOBAL);
    }
    if (!mpi.library) {
        snprintf(error_text, sizeof error_text,
                 "started by mpirun (the environment has OMPI_COMM_WORLD_SIZE or PMIX_RANK) but Open MPI's library "
                 "cannot be loaded (%s); install openmpi-bin and libopenmpi3 (scripts/setup), or set MOLVAE_MPI=0 "
                 "to run as a single process",
                 dlerror());
        return -1;
    }
    RESOLVE(init_thread, "MPI_Init_thread");
    RESOLVE(initialized, "MPI_Initialized");
    RESOLVE(comm_rank, "MPI_Comm_rank");
    RESOLVE(comm_size, "MPI_Comm_size");
    RESOLVE(allreduce, "MPI_Allreduce");
    RESOLVE(bcast, "MPI_Bcast");
    RESOLVE(allgather, "MPI_Allgather");
    RESOLVE(allgatherv, "MPI_Allgatherv");
    RESOLVE(gatherv, "MPI_Gatherv");
    RESOLVE(barrier, "MPI_Barrier");
    RESOLVE(ibarrier, "MPI_Ibarrier");
    RESOLVE(test, "MPI_Test");
    RESOLVE(finalize, "MPI_Finalize");
    RESOLVE(abort_, "MPI_Abort");
    RESOLVE(wtime, "MPI_Wtime");
    RESOLVE(world, "ompi_mpi_comm_world");
    RESOLVE(f32, "ompi_mpi_float");
    RESOLVE(f64, "ompi_mpi_double");
    RESOLVE(i64, "ompi_mpi_int64_t");
    RESOLVE(byte, "ompi_mpi_byte");
    RESOLVE(sum, "ompi_mpi_op_sum");
    RESOLVE(max, "ompi_mpi_op_max");
    int provided = 0, code;
    // 1 = MPI_THREAD_FUNNELED in Open MPI: worker threads exist, only the main thread calls MPI.
    if ((code = mpi.init_thread(NULL, NULL, 1, &provided)) != 0) return fail("MPI_Init_thread failed", code);
    if ((code = mpi.comm_rank(mpi.world, &mpi.rank)) != 0) return fail("MPI_Comm_rank failed", code);
    if ((code = mpi.comm_size(mpi.world, &mpi.size)) != 0) return fail("MPI_Comm_size failed", code);
    mpi.ready = 1;
    return 0;
}

int molvae_mpi_rank(void) { return mpi.ready ? mpi.rank : 0; }
int molvae_mpi_size(void) { return mpi.ready ? mpi.size : 1; }

// Large buffers go in pieces: MPI counts are int.
static int allreduce_chunks(void *values, int64_t count, size_t width, Handle type, Handle op, const char *what) {
    if (!mpi.ready) return 0;
    char *p = values;
    const int64_t piece = INT_MAX / 2;
    for (int64_t done = 0; done < count; done += piece) {
        int n = (int)(count - done < piece ? count - done : piece);
        // MPI_IN_PLACE is ((void *)1) in Open MPI.
        int code = mpi.allreduce((void *)1, p + done * width, n, type, op, mpi.world);
        if (code != 0) return fail(what, code);
    }
    return 0;
}

int molvae_mpi_allreduce_sum_float(float *v, int64_t n) { return allreduce_chunks(v, n, 4, mpi.f32, mpi.sum, "MPI_Allreduce(float, sum) failed"); }
int molvae_mpi_allreduce_sum_double(double *v, int64_t n) { return allreduce_chunks(v, n, 8, mpi.f64, mpi.sum, "MPI_Allreduce(double, sum) failed"); }
int molvae_mpi_allreduce_sum_int64(int64_t *v, int64_t n) { return allreduce_chunks(v, n, 8, mpi.i64, mpi.sum, "MPI_Allreduce(int64, sum) failed"); }
int molvae_mpi_allreduce_max_int64(int64_t *v, int64_t n) { return allreduce_chunks(v, n, 8, mpi.i64, mpi.max, "MPI_Allreduce(int64, max) failed"); }

int molvae_mpi_broadcast(void *bytes, int64_t count, int root) {
    if (!mpi.ready) return 0;
    char *p = bytes;
    const int64_t piece = INT_MAX / 2;
    for (int64_t done = 0; done < count; done += piece) {
        int n = (int)(count - done < piece ? count - done : piece);
        int code = mpi.bcast(p + done, n, mpi.byte, root, mpi.world);
        if (code != 0) return fail("MPI_Bcast failed", code);
    }
    return 0;
}

int molvae_mpi_allgather_int64(const int64_t *values, int64_t count, int64_t *out) {
    if (!mpi.ready) { memcpy(out, values, (size_t)count * 8); return 0; }
    int code = mpi.allgather(values, (int)count, mpi.i64, out, (int)count, mpi.i64, mpi.world);
    return code == 0 ? 0 : fail("MPI_Allgather failed", code);
}

int molvae_mpi_allgatherv(const void *bytes, int count, void *out, const int *counts, const int *displacements) {
    if (!mpi.ready) { memcpy((char *)out + displacements[0], bytes, (size_t)count); return 0; }
    int code = mpi.allgatherv(bytes, count, mpi.byte, out, counts, displacements, mpi.byte, mpi.world);
    return code == 0 ? 0 : fail("MPI_Allgatherv failed", code);
}

int molvae_mpi_gatherv(const void *bytes, int count, void *out, const int *counts, const int *displacements, int root) {
    if (!mpi.ready) { memcpy((char *)out + displacements[0], bytes, (size_t)count); return 0; }
    int code = mpi.gatherv(bytes, count, mpi.byte, out, counts, displacements, mpi.byte, root, mpi.world);
    return code == 0 ? 0 : fail("MPI_Gatherv failed", code);
}

int molvae_mpi_barrier(void) {
    if (!mpi.ready) return 0;
    int code = mpi.barrier(mpi.world);
    return code == 0 ? 0 : fail("MPI_Barrier failed", code);
}

int molvae_mpi_quiet_barrier(void) {
    if (!mpi.ready) return 0;
    Handle request = NULL;  // MPI_Request is a pointer in Open MPI's ABI
    int code = mpi.ibarrier(mpi.world, &request);
    if (code != 0) return fail("MPI_Ibarrier failed", code);
    const struct timespec pause = {0, 1000000};  // 1 ms: the latency added, against a core kept busy
    for (;;) {
        int done = 0;
        // NULL is MPI_STATUS_IGNORE in Open MPI.
        if ((code = mpi.test(&request, &done, NULL)) != 0) return fail("MPI_Test failed", code);
        if (done) return 0;
        nanosleep(&pause, NULL);
    }
}

int molvae_mpi_finalize(void) {
    if (!mpi.ready) return 0;
    mpi.ready = 0;
    int code = mpi.finalize();
    return code == 0 ? 0 : fail("MPI_Finalize failed", code);
}

void molvae_mpi_abort(int code) {
    if (mpi.ready) mpi.abort_(mpi.world, code);
    exit(code);
}

double molvae_mpi_time(void) { return mpi.ready ? mpi.wtime() : 0; }
