"""LeNet Lens: draw a digit, watch a LeNet read it."""

import warnings

# Paddle warns at import that no C++ compiler cache exists; we compile no extensions.
warnings.filterwarnings("ignore", message="No ccache found")
