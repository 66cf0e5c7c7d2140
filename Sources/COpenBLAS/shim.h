#include <cblas.h>

/* Debian's OpenBLAS exports LAPACK's Fortran symbols but ships no LAPACKE header.
   Column-major; every argument by pointer; trailing hidden lengths for character arguments. */

/// Least squares by QR (full rank), many right-hand sides.
void dgels_(const char *trans, const int *m, const int *n, const int *nrhs,
            double *a, const int *lda, double *b, const int *ldb,
            double *work, const int *lwork, int *info, size_t trans_len);

/// Least squares by divide-and-conquer SVD: minimum-norm solution and effective rank.
void dgelsd_(const int *m, const int *n, const int *nrhs,
             double *a, const int *lda, double *b, const int *ldb,
             double *s, const double *rcond, int *rank,
             double *work, const int *lwork, int *iwork, int *info);
