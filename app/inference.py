"""The one API the app, the command line, the benchmarks and outside code use.

    clf = DigitClassifier.load()          # the shipped lenet5
    res = clf.predict(image)              # a Sketchpad value, PIL image or numpy array
    res.label, res.confident, res.probabilities, res.input, res.steps, res.activations
    clf.receptive_field("C3", 2, 3)       # the input square cell (2, 3) of C3 sees
    clf.explain(image, rival=1)           # which pixels make it a 7 rather than a 1
    clf.stress(image, "rotate", [-30, 0, 30])  # probabilities as the input turns

    DigitClassifier.checkpoints("lenet5")           # [(step, test accuracy), ...] in training order
    DigitClassifier.load("lenet5", checkpoint=0)    # the network before its first step
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import paddle

from app import cards, confidence, explain, registry, stress
from app.checkpoints import Checkpoint, checkpoint_weights, list_checkpoints
from app.explain import Explanation
from app.inputs import InputError
from app.models import NUM_CLASSES, Network
from app.preprocess import preprocess
from app.weights import load_weights, set_weights


@dataclass
class Prediction:
    label: int | None           # 0–9, or None when there was no digit to read
    probabilities: np.ndarray   # (10,) summing to 1; uniform when there was no digit
    input: np.ndarray | None    # the 28×28 float32 image the network saw
    steps: "OrderedDict[str, np.ndarray]" = field(default_factory=OrderedDict)
    activations: "OrderedDict[str, np.ndarray]" = field(default_factory=OrderedDict)
    # False when the drawing is not a convincing digit (a speck, a scribble, a letter, several
    # digits, a blank); `doubt` says which test it failed (app.confidence), None when confident.
    confident: bool = False
    doubt: str | None = confidence.BLANK


class DigitClassifier:
    def __init__(self, name: str, network: Network, threshold: float = confidence.DEFAULT_THRESHOLD):
        self.name = name
        self.network = network
        self.threshold = threshold  # the smallest confidence.score called confident
        self.network.eval()  # no dropout or batch norm today, but a trained net reads in eval mode
        self.infos = network.infos  # each layer's name, kind, shape, formula and receptive field
        # The server calls predict from several threads; one forward pass at a time is safe
        # and costs little here (the network takes about a millisecond).
        self._forward_lock = threading.Lock()

    @classmethod
    def load(cls, name: str = registry.DEFAULT_MODEL, weights: Path | None = None,
             checkpoint: int | None = None) -> "DigitClassifier":
        """A registered model with its shipped weights, or `weights` (a .safetensors file);
        `checkpoint=i` takes the i-th of checkpoints(name) instead (-1: the last, which is
        the weights themselves). The confidence threshold comes from the model card beside
        the weights; without one, DEFAULT_THRESHOLD."""
        spec = registry.get(name)
        network = spec.build()
        path = Path(weights or spec.weights)
        if checkpoint is None:
            load_weights(network, path)
        else:
            set_weights(network, checkpoint_weights(path, checkpoint), f"{path}, checkpoint {checkpoint}")
        return cls(name, network, cards.threshold(path))

    @staticmethod
    def checkpoints(name: str = registry.DEFAULT_MODEL, weights: Path | None = None) -> list[Checkpoint]:
        """(step, test_accuracy) for each checkpoint of the model's training, in training
        order; [] for a model shipped without checkpoints (see app.checkpoints)."""
        return list_checkpoints(Path(weights or registry.get(name).weights))

    def forward(self, inputs: np.ndarray, with_activations: bool = True):
        """inputs: (B, 28, 28) float32 in [0, 1] → probabilities (B, 10), and the
        activations as {layer name: (B, …) array} shaped as self.infos says."""
        with self._forward_lock, paddle.no_grad():
            tensor = paddle.to_tensor(inputs[:, None].astype(np.float32, copy=False))
            if not with_activations:
                return paddle.nn.functional.softmax(self.network(tensor), axis=1).numpy(), OrderedDict()
            logits, activations = self.network(tensor, with_activations=True)
            probabilities = paddle.nn.functional.softmax(logits, axis=1).numpy()
            shaped = OrderedDict((info.name, activations[info.name].numpy().reshape(-1, *info.shape))
                                 for info in self.infos)
        return probabilities, shaped

    def predict(self, image, with_activations: bool = True, skip=()) -> Prediction:
        return self.predict_batch([image], with_activations, skip)[0]

    def predict_batch(self, images, with_activations: bool = True, skip=()) -> list[Prediction]:
        """One forward pass for every image that holds a digit; `skip` leaves pipeline steps
        out (app.preprocess.SWITCHES), to see what each is for."""
        prepared = [preprocess(image, skip) for image in images]
        drawn = [i for i, (digit, _) in enumerate(prepared) if digit is not None]
        results = [Prediction(None, np.full(NUM_CLASSES, 1 / NUM_CLASSES, np.float32), None, steps,
                              doubt=confidence.doubt(None, steps, self.threshold)) for _, steps in prepared]
        if not drawn:
            return results
        probabilities, activations = self.forward(np.stack([prepared[i][0] for i in drawn]),
                                                  with_activations)
        for row, i in enumerate(drawn):
            result = results[i]
            result.input = prepared[i][0]
            result.probabilities = probabilities[row]
            result.label = int(probabilities[row].argmax())
            result.doubt = confidence.doubt(result.probabilities, result.steps, self.threshold)
            result.confident = result.doubt is None
            result.activations = OrderedDict((name, maps[row]) for name, maps in activations.items())
        return results

    def _info(self, layer: str):
        info = next((info for info in self.infos if info.name == layer), None)
        if info is None or info.field is None:
            maps = [info.name for info in self.infos if info.field]
            raise InputError(f"{str(layer)[:40]!r} is not a conv or pool map of {self.name}; one of {', '.join(maps)}",
                             code="not_a_map", layer=str(layer)[:40], choices=", ".join(maps))
        return info

    def receptive_field(self, layer: str, y: int, x: int) -> tuple[int, int, int, int]:
        """(top, left, bottom, right) of the 28×28 input that cell (y, x) of `layer` can see;
        bottom and right exclusive, not clipped to the image (padding reaches past it)."""
        info = self._info(layer)
        if not (0 <= y < info.shape[-2] and 0 <= x < info.shape[-1]):
            raise InputError(f"{layer} is {info.shape[-2]}×{info.shape[-1]}; no cell ({y}, {x})", code="no_cell",
                             layer=layer, height=info.shape[-2], width=info.shape[-1], y=y, x=x)
        return info.field.box(y, x)

    def unit_gradient(self, image: np.ndarray, layer: str, channel: int, y: int, x: int):
        """(value, 28×28 gradient) of one unit for a 28×28 input: its effective receptive field."""
        info = self._info(layer)
        self.receptive_field(layer, y, x)
        if not 0 <= channel < info.shape[0]:
            raise InputError(f"{layer} has {info.shape[0]} maps; no map {channel}", code="no_map", layer=layer,
                             maps=info.shape[0], channel=channel)
        with self._forward_lock:
            return explain.unit_gradient(self.network, image, layer, channel, y, x)

    def explain(self, image, rival: int | None = None) -> Explanation:
        """Why the prediction: Integrated Gradients of its logit (minus the rival's) from the
        blank 28×28, so attribution.sum() ≈ logit(input) − logit(blank); and an occlusion map."""
        digit, _ = preprocess(image)
        if digit is None:
            return Explanation(None, None, None, None, None)
        label = int(self.forward(digit[None], with_activations=False)[0].argmax())
        if rival is not None and (rival == label or not 0 <= rival < NUM_CLASSES):
            raise InputError(f"a rival must be another digit than {label}, 0–9", code="rival_label", label=label)
        with self._forward_lock:
            attribution, logits = explain.integrated_gradients(self.network, digit, label, rival)
            occluded = explain.occlusion(self.network, digit, label)
        return Explanation(label, rival, digit, attribution, occluded, logits)

    def stress(self, image, sweep: str, values) -> np.ndarray:
        """(len(values), 10) probabilities for the input changed by each value of `sweep`
        (rotate °, scale ×, shift_x / shift_y px, thickness px, noise σ); one batch."""
        digit, _ = preprocess(image)
        if digit is None:
            return np.full((len(values), NUM_CLASSES), 1 / NUM_CLASSES, np.float32)
        return self.forward(stress.variants(digit, sweep, values), with_activations=False)[0]
