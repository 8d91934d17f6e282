import CBLAS
import CKernels
import Foundation

/// Which OpenBLAS kernels the matrix products run on.
///
/// OpenBLAS picks its kernels once, when the library loads, from the CPU model it recognises.
/// Debian 12's OpenBLAS 0.3.21 predates AMD Zen 4 and falls back to its AVX2 "Haswell" kernels
/// there, although the CPU has the AVX-512 instructions of its "SkylakeX" kernels, which run
/// SGEMM about 1.9× faster on this machine (198 against 106 GFLOP/s on one core, 256×512×2048).
/// The choice can only be changed before the library loads, through OPENBLAS_CORETYPE, so the
/// command-line tool re-executes itself once with OPENBLAS_CORETYPE=SKYLAKEX when all of these hold:
/// - OPENBLAS_CORETYPE is not set (a user's own choice always wins);
/// - MOLVAE_BLAS_REEXEC is not "0";
/// - OpenBLAS chose Haswell or Zen kernels;
/// - the CPU has AVX-512 F, DQ, BW, VL and CD.
/// Newer OpenBLAS releases make the same choice on Zen 4 by themselves.
public enum BLASKernels {
    /// OpenBLAS's kernel family, e.g. "Haswell" or "SkylakeX".
    public static var coreName: String { openblas_get_corename().map { String(cString: $0) } ?? "unknown" }

    /// Re-executes the running program with OPENBLAS_CORETYPE=SKYLAKEX when the rules above call
    /// for it; returns (doing nothing) otherwise or when exec fails.
    public static func preferAVX512KernelsByReexecuting() {
        let environment = ProcessInfo.processInfo.environment
        guard environment["OPENBLAS_CORETYPE"] == nil, environment["MOLVAE_BLAS_REEXEC"] != "0",
              ["haswell", "zen"].contains(coreName.lowercased()), mk_cpu_has_avx512_gemm() != 0 else { return }
        setenv("OPENBLAS_CORETYPE", "SKYLAKEX", 1)
        // Guards against a loop should this OpenBLAS ignore the variable.
        setenv("MOLVAE_BLAS_REEXEC", "0", 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // exec failed: carry on with the kernels we have.
        unsetenv("OPENBLAS_CORETYPE")
    }
}
