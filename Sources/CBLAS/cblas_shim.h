// Debian's libopenblas-dev installs cblas.h through the alternatives system.
#include <cblas.h>

// OpenBLAS owns a thread pool; molvae sets its size so that BLAS threads and our own
// worker threads never oversubscribe the cores.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
// The kernel family OpenBLAS chose at load time ("Haswell", "Cooperlake", ...).
char *openblas_get_corename(void);

// LAPACK (shipped inside OpenBLAS): Cholesky factorisation and solve, used by the
// Gaussian-process optimiser.
void spotrf_(const char *uplo, const int *n, float *a, const int *lda, int *info);
void spotrs_(const char *uplo, const int *n, const int *nrhs, const float *a, const int *lda,
             float *b, const int *ldb, int *info);
void dpotrf_(const char *uplo, const int *n, double *a, const int *lda, int *info);
void dpotrs_(const char *uplo, const int *n, const int *nrhs, const double *a, const int *lda,
             double *b, const int *ldb, int *info);

// LAPACK symmetric eigendecomposition (eigenvalues ascending, eigenvectors in place), used by
// the principal components of the latent map and by CMA-ES.
void dsyev_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w,
            double *work, const int *lwork, int *info);
