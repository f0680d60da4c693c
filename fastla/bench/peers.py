"""Optional peers shared by the bench areas."""
import fastla

_blas_limit = None     # threadpoolctl's limiter, kept for the whole run


def limit_numpy_blas(nthreads):
    """Limits NumPy's BLAS to `nthreads` threads for the rest of the process,
    so that NumPy runs on as many threads as fastla (``--threads 1`` timed
    NumPy's two-thread OpenBLAS against one-thread fastla before).  Returns
    None, or a note when threadpoolctl (the ``bench`` extra) is missing."""
    global _blas_limit
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return ("(threadpoolctl is not installed: NumPy's BLAS keeps its own thread "
                "count; pip install threadpoolctl)")
    _blas_limit = threadpool_limits(limits=nthreads, user_api="blas")
    return None


def torch_or_none():
    """PyTorch with fastla's thread count, or None when it is not installed."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(fastla.get_num_threads())
    return torch
