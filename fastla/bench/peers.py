"""Optional peers shared by the bench areas."""
import fastla


def torch_or_none():
    """PyTorch with fastla's thread count, or None when it is not installed."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(fastla.get_num_threads())
    return torch
