"""Every model the app knows, one entry each: its layers, its words in both languages,
its weights file, its model-card notes and how `python -m training` trains it.

Adding a model is one `register(ModelSpec(...))`; nothing else needs to change.
"""

from dataclasses import dataclass, field
from pathlib import Path

from app.inputs import UnknownModel
from app.models import LENET5, MLP, TUTORIAL, Layer, Network

ASSETS = Path(__file__).resolve().parent.parent / "assets"
DEFAULT_MODEL = "lenet5"


@dataclass(frozen=True)
class Recipe:
    """`python -m training`'s defaults for a model; its flags override them."""
    epochs: int = 30
    lr: float = 0.05
    augment: bool = True  # redrawn digits, random pen, rotation, scale, slant, shift; else MNIST as it is
    # Added to each batch, as shares of its MNIST digits: training digits drawn on a canvas and
    # read through the app's pipeline (training.drawn), and non-digits the network is taught to
    # be unsure of (training.negatives).
    redrawn: float = 0.0
    negatives: float = 0.0
    # The share of the augmented MNIST digits redrawn from their centre lines (training.augment);
    # the seeds of the drawings added (one drawing of every training digit each: more seeds, each
    # drawing seen fewer times); the weight of the non-digits' loss (training.train).
    redraw_share: float = 0.5
    drawing_seeds: tuple[int, ...] = (1, 2)
    negative_weight: float = 0.5
    # The share of the augmented MNIST digits bent by an elastic distortion (training.augment).
    elastic_share: float = 0.0


@dataclass(frozen=True)
class ModelSpec:
    name: str
    layers: tuple[Layer, ...]
    about: dict[str, str]   # one line for the model picker, per language
    notes: str              # the model card's account of what it is and why
    recipe: Recipe = field(default_factory=Recipe)

    @property
    def weights(self) -> Path:
        return ASSETS / f"{self.name}.safetensors"

    def build(self) -> Network:
        return Network(self.layers)


MODELS: dict[str, ModelSpec] = {}


def register(spec: ModelSpec) -> ModelSpec:
    if spec.name in MODELS:
        raise ValueError(f"a model named {spec.name!r} is already registered")
    MODELS[spec.name] = spec
    return spec


def get(name: str) -> ModelSpec:
    """A registered model, or UnknownModel (an InputError: the name may be a caller's)."""
    if not isinstance(name, str) or name not in MODELS:
        raise UnknownModel(name, MODELS)
    return MODELS[name]


register(ModelSpec(
    "lenet5", LENET5,
    about={"en": "classic LeNet-5: ReLU, max-pool", "zh-CN": "经典 LeNet-5：ReLU、最大池化"},
    notes=("Classic LeNet-5 (LeCun et al. 1998) with ReLU and max-pooling, which train faster and "
           "better than the original scaled tanh and trainable average pooling. C1 pads MNIST's "
           "28×28 by 2, the tutorial's 32×32 input; C5 is a 5×5 convolution that leaves a 120-vector. "
           "Trained on augmented digits (a quarter redrawn from their centre lines with a uniform pen, half "
           "bent by an elastic distortion; all with random rotation, scale, slant, shift and pen width), "
           "plus in every batch half as many training digits drawn on a canvas and read through the app's "
           "own pipeline (four drawings of each, so each is seen less often), so drawings read as well as "
           "MNIST, and a quarter as many non-digits (scribbles, blots, letters, digits side by side) taught "
           "to spread its outputs, so it can say when a drawing is not a digit."),
    recipe=Recipe(epochs=70, redrawn=0.5, negatives=0.25, redraw_share=0.25, drawing_seeds=(1, 2, 3, 4),
                  negative_weight=0.25, elastic_share=0.5),
))

register(ModelSpec(
    "tutorial", TUTORIAL,
    about={"en": "the tutorial's own Paddle code: sigmoid, no padding",
           "zh-CN": "教程里的飞桨代码：Sigmoid，不加边"},
    notes=("The tutorial's Paddle `LeNet`, layer for layer as its code is written. Where the code and "
           "its comments disagree the code is followed: the comment says every convolution is followed "
           "by a sigmoid, but the code applies sigmoid after conv1 and again after the first pool, and "
           "none after conv2 or conv3. The code's `num_classes=1` default is 10 here. Without padding "
           "its shapes are 6@24×24 → 6@12×12 → 16@8×8 → 16@4×4 → 120, not the 6@28×28 … table of the "
           "tutorial's text, which describes a padded 32×32 input."),
    recipe=Recipe(epochs=30, lr=0.1),
))

register(ModelSpec(
    "lenet5-plain", LENET5,
    about={"en": "the same LeNet-5, trained on plain MNIST only",
           "zh-CN": "同一个 LeNet-5，只用原始 MNIST 训练"},
    notes=("LeNet-5 exactly as `lenet5`, trained on MNIST as it is, without the redrawn digits and "
           "their random pen, rotation, scale, slant and shift. Beside `lenet5` it shows what that "
           "augmentation buys on drawings made in the browser."),
    recipe=Recipe(epochs=20, augment=False),
))

register(ModelSpec(
    "mlp", MLP,
    about={"en": "no convolutions: 784 → 16 → 16 → 10",
           "zh-CN": "没有卷积：784 → 16 → 16 → 10"},
    notes=("A multilayer perceptron with two hidden layers of 16 units, the network of the best-known "
           "video lessons on digits. It sees the 28×28 image as 784 unrelated numbers: no kernels "
           "shared across the image, no pooling, so a digit moved by a few pixels is new to it. Trained on "
           "the same kinds of data as `lenet5` (augmented digits, drawings read through the pipeline, "
           "non-digits), so what differs is the network."),
    recipe=Recipe(epochs=30, redrawn=0.5, negatives=0.25),
))
