"""Every word the page shows, in English. app/texts/zh.py has the same keys in 简体中文."""

WORDS = {
    "title": "LeNet Lens",
    "subtitle": "Draw one digit, 0–9, and watch a LeNet trained in PaddlePaddle read it, layer by layer.",
    # the drawing pad
    "pad": "drawing pad: draw one digit with the mouse, a pen or a finger",
    "undo": "Undo", "redo": "Redo", "clear": "Clear", "pen": "Pen",
    "examples": "or try an MNIST test digit:",
    "link_unknown": ("This link names a model, checkpoint or panel this page does not have, or is too long: "
                     "opened as usual."),
    "bad_link": "This link's drawing could not be read (too long or damaged): draw one here.",
    # the answer
    "reads": "{model} reads",
    "draw_hint": "Draw a digit, 0–9",
    "not_sure": {"speck": "not sure: too small to read well", "pieces": "not sure: is that one digit?",
                 "score": "not sure: no digit stands out", "learning": "not sure: this network has hardly learned yet"},
    "doubts": {"speck": ("Drawn this small, a digit loses its shape in the 28×28 the network sees, whatever the "
                         "bars say: draw it bigger."),
               "dot": "That is only a dot: draw a digit, 0–9.",
               "pieces": "That looks like more than one piece: draw one digit.",
               "score": "It may be a letter or a scribble.",
               "learning": ("At step {step} this network gets {accuracy:.0f} % of MNIST's test digits right: the "
                            "doubt is the network's, not your drawing's."),
               "learning_sure": ("At step {step} this network gets only {accuracy:.0f} % of MNIST's test digits "
                                 "right: it is still learning.")},
    "why": "Why {digit}?",
    "model": "Network",
    # the network view
    "network": "What every layer sees",
    "layers_tab": "Layers",
    "stale": "For an earlier drawing: reading the one on the pad…",
    "colours": ("Your drawing is shown dark on white, as drawn; from the 28×28 on, as the network sees it: "
                "bright ink on black, like MNIST. In the maps, bright = strongly active; blue = below zero "
                "(only layers without ReLU, such as the tutorial net's conv2, have negative values)."),
    "steps": {"ink": "ink", "crop": "crop to the ink", "stroke": "stroke like MNIST's",
              "20×20": "longest side 20 px", "28×28": "28×28, centred by mass", "padded": "32×32: padded by {padding}",
              "mnist_shaped": "28×28, already MNIST-shaped"},
    "field": "receptive field r = {r_in} + ({k} − 1)·{j_in} = {r} px, jump j = {j_in}·{s} = {j}",
    "tap": "Tap a cell of a conv or pool map to see the part of your drawing it looks at.",
    "keys": "its maps as a grid; Enter, then the arrow keys, pick a cell to see what it looks at",
    "sees": "{layer}, map {map}, cell ({y}, {x}) sees input rows {top}–{bottom}, columns {left}–{right}.",
    "clipped": "Its square reaches past the 28×28 into the padding: shown clipped.",
    "gradient": "Orange: where a change of the input would move this unit most (its gradient).",
    "dead": "This unit is 0 for your drawing (a ReLU that is off), so no small change of the input moves it.",
    "scale": "scale {low} … {high}",
    "timeline": "Training step",
    "timeline_info": "step {step} of {steps}: {accuracy:.1f} % of MNIST's test digits right",
    "accuracy": "test accuracy",
    "step": "training step (log-spaced)",
    # panels below
    "compare_tab": "Compare models",
    "compare_note": ("Every model reads your drawing; a red frame marks one that reads another digit than most. "
                     "Inside: the first feature maps of a convolutional net; the MLP has none, so its 16 hidden "
                     "units are shown as a strip."),
    "compare_unsure": "(not sure)",
    "compare_head": ("model | parameters | MNIST, network alone | MNIST, through the pipeline | redrawn digits "
                     "| redrawn called sure"),
    "why_tab": "Why?",
    "why_intro": ("Integrated Gradients: each pixel's share of the digit's score, adding up from a blank "
                  "input to your drawing. Occlusion: how much the answer drops when a small patch is hidden."),
    "why_ask": "Draw a digit: this panel then shows which of its strokes made the answer.",
    "against": "Against",
    "rival_auto": "runner-up", "rival_none": "no rival",
    "why_alone": "Red pushed towards {label}, blue pushed away from {label}.",
    "why_rival": "Red: why {label} rather than {rival}; blue: why {rival} rather than {label}.",
    "why_sum": "The shares add up to {total:.2f}, the change in score from a blank input.",
    "why_input": "over the 28×28 the network saw",
    "why_crop": "over your drawing",
    "why_occlusion": "hiding 4×4 px: P({label}) drops up to {drop:.0f} %",
    "lab_tab": "Stress test",
    "lab_intro": ("Your drawing turned, scaled, moved, thickened and made noisy: each digit's probability along "
                  "each sweep. A dashed line marks where the answer flips; the variant there is shown under it. "
                  "Then the pipeline with one step turned off."),
    "sweeps": {"rotate": "rotation (°)", "scale": "scale (×)", "shift_x": "shift right (px)",
               "shift_y": "shift down (px)", "thickness": "thicker stroke (px)", "noise": "noise (σ)"},
    "probability": "probability",
    "flip": "→ {digit}",
    "flip_variant": "{sweep} {value:.3g}: reads {digit}",
    "no_flip": "{sweep}: reads {digit} all the way",
    "switches_title": "The pipeline with one step turned off:",
    "switches": {"stroke": "without the stroke-width step", "box": "without the 20 px box",
                 "centre": "without centring by mass"},
    "switch_reads": "{step}: reads {digit} ({p:.0f} %)",
    "run": "Run",
    "kernels": "Kernels",
    "kernels_info": ("Each row is one output map, each column one input map; red adds where the input is bright, "
                     "blue subtracts."),
    "kernels_shape": "output × input maps: {out} × {inp}",
    "kernels_of": "{model} at training step {step} of {steps}",
    "kernels_shipped": "{model}, as shipped",
    "unit_weights": "the 28×28 weights of each of its {units} units",
    "how": "Shapes",
    "how_text": (
        "A convolution with a k×k kernel, padding p and stride s turns an input of side *in* into "
        "out = (in − k + 2p)/s + 1. The tutorial starts from a 32×32 image: MNIST's 28×28 padded by 2, "
        "which is what LeNet-5's C1 does. 6 kernels of 5×5 give 6@28×28; a 2×2 max-pool halves it to "
        "6@14×14; 16 kernels of 5×5 give 16@10×10, pooled to 16@5×5; C5's 120 kernels of 5×5 leave 120 "
        "numbers, then 84, then the 10 digit scores.\n\n"
        "What one cell sees grows the same way: r_out = r_in + (k − 1)·j_in, j_out = j_in·s, so LeNet-5's "
        "C1 cells see 5×5 pixels, S2 6×6, C3 14×14, S4 16×16, and C5 the whole padded 32×32."),
    "same_shapes": "**`{model}`**: the same layers and shapes as `{same}`.",
    "walk_head": "| layer | output | out = (in − k + 2p)/s + 1 | receptive field |",
    "input_row": "| input | 1@28×28 (the tutorial's 32×32 is this padded by 2) | — | 1 |",
    "kinds": {"conv": "conv {k}×{k}", "pool": "max-pool {k}×{k}", "fc": "fully connected"},
}
