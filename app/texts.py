"""Every word the page shows, in English and 简体中文 (gr.I18n keys)."""

from app import registry
from app.models import LayerInfo, describe

KINDS = {
    "en": {"conv": "conv {k}×{k}", "pool": "max-pool {k}×{k}", "fc": "fully connected"},
    "zh-CN": {"conv": "卷积 {k}×{k}", "pool": "最大池化 {k}×{k}", "fc": "全连接"},
}


def shape_text(shape: tuple[int, ...]) -> str:
    return str(shape[0]) if len(shape) == 1 else f"{shape[0]}@{shape[1]}×{shape[2]}"


def kind_text(info: LayerInfo, language: str = "en") -> str:
    return KINDS[language][info.kind].format(k=info.kernel)


def layer_title(info: LayerInfo, language: str = "en") -> str:
    """'C1 · conv 5×5 · 6@28×28', in the page's language."""
    return f"{info.name} · {kind_text(info, language)} · {shape_text(info.shape)}"


WALKTHROUGH_HEAD = {
    "en": "| layer | output | out = (in − k + 2p)/s + 1 |\n| --- | --- | --- |",
    "zh-CN": "| 层 | 输出 | 卷积后尺寸 =（输入 − 卷积核 + 加边）/ 步长 + 1 |\n| --- | --- | --- |",
}


def walkthrough(name: str, language: str) -> str:
    """The tutorial's shape walk-through for one network, with its numbers filled in."""
    rows = [f"| {info.name} · {kind_text(info, language)} | {shape_text(info.shape)} | {info.formula or '—'} |"
            for info in describe(registry.get(name).layers)]
    return "\n".join([f"**`{name}`**", "", WALKTHROUGH_HEAD[language], *rows])


EN = {
    "title": ("# LeNet Lens\nDraw one digit, 0–9, in the box below and watch a LeNet, trained in PaddlePaddle, "
              "read it layer by layer."),
    "sketch": "Draw one digit, 0–9",
    "prediction": "LeNet reads",
    "draw_hint": "Draw a digit",
    "model": "Network",
    "model_info": "lenet5: classic LeNet-5 (ReLU, max-pool) · tutorial: the tutorial's own Paddle code (sigmoid)",
    "examples": "Or click an MNIST test digit",
    "pipeline": "### From your drawing to the 28×28 the network sees",
    "pipeline_info": ("ink → crop to the ink → stroke width made MNIST-like → longest side 20 px → "
                      "centre of mass in the middle of 28×28, as MNIST was made"),
    "activations": "### What every layer sees",
    "activations_info": ("Each square is one feature map (bright = strongly active). Early layers find "
                         "strokes and edges; deeper ones, fewer and coarser, respond to parts of digits; "
                         "the last rows are the fully connected layers and the 10 output scores."),
    "kernels": "Learned kernels",
    "show_kernels": "Show the first two convolution layers' kernels",
    "kernels_info": "Red: the kernel adds where the input is bright; blue: it subtracts.",
    "how": "How the shapes work out",
    "how_text": (
        "A convolution with a k×k kernel, padding p and stride s turns an input of side *in* into "
        "out = (in − k + 2p)/s + 1. LeNet-5's C1 pads MNIST's 28×28 by 2 (the tutorial's 32×32), so "
        "6 kernels of 5×5 give 6@28×28; a 2×2 max-pool halves it to 6@14×14; 16 kernels of 5×5 give "
        "16@10×10, pooled to 16@5×5; C5's 120 kernels of 5×5 leave 120 numbers, then 84, then the 10 "
        "digit scores.\n\n" + walkthrough("lenet5", "en") + "\n\n" + walkthrough("tutorial", "en")),
}

ZH = {
    "title": ("# LeNet Lens 透视\n"
              "在下面的方框里画一个数字（0–9），看用飞桨（PaddlePaddle）训练的 LeNet 如何一层一层地认出它。"),
    "sketch": "画一个数字（0–9）",
    "prediction": "LeNet 的判断",
    "draw_hint": "请画一个数字",
    "model": "网络",
    "model_info": "lenet5：经典 LeNet-5（ReLU、最大池化）· tutorial：教程中的飞桨代码（Sigmoid）",
    "examples": "或者点一个 MNIST 测试集数字",
    "pipeline": "### 从你的画到网络看到的 28×28",
    "pipeline_info": ("笔迹 → 裁到笔迹 → 笔画粗细调成 MNIST 的样子 → 长边缩放到 20 像素 → "
                      "按质心放到 28×28 中央（MNIST 的做法）"),
    "activations": "### 每一层看到了什么",
    "activations_info": ("每个小方块是一张特征图（越亮越活跃）。前面的层找笔画和边缘；后面的层更少、更粗，"
                         "对数字的局部作出反应；最后几行是全连接层和 10 个输出分数。"),
    "kernels": "学到的卷积核",
    "show_kernels": "显示前两个卷积层的卷积核",
    "kernels_info": "红色：输入亮的地方卷积核加分；蓝色：减分。",
    "how": "尺寸是怎么算出来的",
    "how_text": (
        "卷积核 k×k、加边 p、步长 s 的卷积把边长 in 变成 out = (in − k + 2p)/s + 1。LeNet-5 的 C1 给 MNIST 的 "
        "28×28 四周各加 2（即教程里的 32×32），6 个 5×5 卷积核得到 6@28×28；2×2 最大池化减半为 6@14×14；"
        "16 个 5×5 卷积核得到 16@10×10，池化为 16@5×5；C5 的 120 个 5×5 卷积核留下 120 个数，再到 84，"
        "最后是 10 个数字的分数。\n\n" + walkthrough("lenet5", "zh-CN") + "\n\n" + walkthrough("tutorial", "zh-CN")),
}

TRANSLATIONS = {"en": EN, "zh-CN": ZH}


def language_of(accept_language: str) -> str:
    """The page's language from the browser's Accept-Language header."""
    return "zh-CN" if accept_language.lower().lstrip().startswith("zh") else "en"
