"""页面上的每一句话，简体中文。键与 app/texts/en.py 完全相同。"""

WORDS = {
    "title": "LeNet Lens 透视",
    "subtitle": "画一个数字（0–9），看用飞桨（PaddlePaddle）训练的 LeNet 一层一层地认出它。",
    # 画板
    "pad": "画板：用鼠标、笔或手指画一个数字",
    "undo": "撤销", "redo": "重做", "clear": "清空", "pen": "笔",
    "examples": "或者试一个 MNIST 测试集数字：",
    # 判断
    "reads": "{model} 认为是",
    "draw_hint": "请画一个数字（0–9）",
    "not_sure": "没有把握——这是一个数字吗？",
    "doubts": {"speck": "画得太小了：把数字画大一点。",
               "pieces": "看起来不止一块：请只画一个数字。",
               "score": "没有哪个数字突出：可能是字母或乱画的线。"},
    "why": "为什么是 {digit}？",
    "model": "网络",
    # 网络视图
    "network": "每一层看到了什么",
    "colours": ("你的画按画的样子显示：白底黑字；从 28×28 开始按网络看到的样子显示：黑底亮字，和 MNIST 一样。"
                "特征图里越亮越活跃；蓝色表示小于零（只有没有 ReLU 的层才有负值，比如教程网络的 conv2）。"),
    "steps": {"ink": "笔迹", "crop": "裁到笔迹", "stroke": "笔画粗细调成 MNIST 的样子",
              "20×20": "长边缩放到 20 像素", "28×28": "28×28，按质心居中", "padded": "32×32：四周各加 {pad}",
              "as_is": "28×28，已经是 MNIST 的样子"},
    "field": "感受野 r = {r_in} + ({k} − 1)·{j_in} = {r} 像素，步距 j = {j_in}·{s} = {j}",
    "tap": "点一下卷积层或池化层特征图里的一个格子，看它看的是你画的哪一部分。",
    "sees": "{layer} 第 {map} 张特征图的格子 ({y}, {x}) 看的是输入的第 {top}–{bottom} 行、第 {left}–{right} 列。",
    "clipped": "它的方框超出了 28×28，伸进了加边的部分：只显示图内的部分。",
    "gradient": "橙色：输入在这里变化时，这个单元变化最大（它的梯度）。",
    "dead": "对你的画，这个单元是 0（ReLU 没有激活），输入的微小变化不会改变它。",
    "scale": "范围 {low} … {high}",
    "timeline": "训练进度",
    "timeline_info": "第 {step} 步（共 {steps} 步）：MNIST 测试集认对 {accuracy:.1f} %",
    "accuracy": "测试准确率",
    "step": "训练步数（对数间隔）",
    # 下方的面板
    "compare_tab": "比较模型",
    "compare_note": ("每个模型都读你的画；红框表示它认出的数字和多数模型不同。里面显示卷积网络的第一层特征图；"
                     "多层感知机没有特征图，所以把它的 16 个隐藏单元显示成一条。"),
    "compare_unsure": "（没有把握）",
    "compare_head": "模型 | 参数 | MNIST（只用网络） | MNIST（经过预处理） | 重画的数字 | 重画的数字中有把握的",
    "why_tab": "为什么",
    "why_intro": ("积分梯度：每个像素在这个数字得分里的份额，从空白输入一路累加到你的画。"
                  "遮挡：遮住一小块时，判断下降多少。"),
    "why_ask": "先画一个数字，再点判断下面的“为什么是……？”。",
    "against": "对比",
    "rival_auto": "第二名", "rival_none": "不对比",
    "why_alone": "红色把判断推向 {label}，蓝色把它推离 {label}。",
    "why_rival": "红色：为什么是 {label} 而不是 {rival}；蓝色：为什么是 {rival} 而不是 {label}。",
    "why_sum": "这些份额加起来是 {total:.2f}，正是从空白输入到你的画时得分的变化。",
    "why_input": "叠在网络看到的 28×28 上",
    "why_crop": "叠在你的画上",
    "why_occlusion": "遮住 4×4 像素：P({label}) 最多下降 {drop:.0f} %",
    "lab_tab": "压力测试",
    "lab_intro": ("把你的画旋转、缩放、移动、加粗、加噪声：每个数字的概率随之变化。虚线标出判断改变的地方，"
                  "下面是那时的样子。然后每次关掉流程里的一步。"),
    "lab_run": "对这幅画做压力测试",
    "sweeps": {"rotate": "旋转（度）", "scale": "缩放（倍）", "shift_x": "右移（像素）",
               "shift_y": "下移（像素）", "thickness": "笔画加粗（像素）", "noise": "噪声（σ）"},
    "probability": "概率",
    "flip": "→ {digit}",
    "flip_variant": "{sweep} {value:.3g}：认为是 {digit}",
    "no_flip": "{sweep}：一直认为是 {digit}",
    "switches_title": "流程里每次关掉一步：",
    "switches": {"stroke": "不调笔画粗细", "box": "不缩放到 20 像素", "centre": "不按质心居中"},
    "switch_reads": "{step}：认为是 {digit}（{p:.0f} %）",
    "run": "运行",
    "kernels": "卷积核",
    "kernels_info": "每一行是一张输出特征图，每一列是一张输入特征图；红色：输入亮的地方加分，蓝色：减分。",
    "kernels_shape": "输出 × 输入特征图：{out} × {inp}",
    "unit_weights": "它的 {units} 个单元各自的 28×28 权重",
    "how": "尺寸怎么算",
    "how_text": (
        "卷积核 k×k、加边 p、步长 s 的卷积把边长 in 变成 out = (in − k + 2p)/s + 1。教程从 32×32 的图开始："
        "就是 MNIST 的 28×28 四周各加 2，LeNet-5 的 C1 正是这样做的。6 个 5×5 卷积核得到 6@28×28；"
        "2×2 最大池化减半为 6@14×14；16 个 5×5 卷积核得到 16@10×10，池化为 16@5×5；"
        "C5 的 120 个 5×5 卷积核留下 120 个数，再到 84，最后是 10 个数字的分数。\n\n"
        "一个格子能看到的范围（感受野）也一样一层层变大：r_out = r_in + (k − 1)·j_in，j_out = j_in·s，"
        "所以 LeNet-5 的 C1 格子看 5×5 个像素，S2 看 6×6，C3 看 14×14，S4 看 16×16，C5 看整个加边后的 32×32。"),
    "walk_head": "| 层 | 输出 | 卷积后尺寸 =（输入 − 卷积核 + 加边）/ 步长 + 1 | 感受野 |",
    "input_row": "| 输入 | 1@28×28（教程里的 32×32 就是它四周各加 2） | — | 1 |",
    "kinds": {"conv": "卷积 {k}×{k}", "pool": "最大池化 {k}×{k}", "fc": "全连接"},
}

# The library's refusals (app.inputs.InputError and others carry a `code`), as the Chinese
# page says them; in English the page shows the library's own message.
ERRORS = {
    "unreadable": "无法读取：{detail}",
    "too_large": "图像是 {width}×{height}，上限是 {limit:,} 个像素",
    "over_limit": "图像超过了 {limit:,} 个像素的上限",
    "not_an_image": "需要一幅图像、一个数组或一个画板的值",
    "shape": "需要 H×W、H×W×3 或 H×W×4 的图像，收到的形状是 {shape}",
    "empty": "图像是空的",
    "not_numbers": "像素必须是数字",
    "nan": "图像里有 NaN 或无穷大的值",
    "not_data_url": "需要一个 data URL 形式的画",
    "too_long": "这幅画有 {length:,} 个字符，上限是 {limit:,}",
    "not_png": "需要 PNG 格式的 data URL（data:image/png;base64,…）",
    "not_base64": "这幅画不是有效的 base64",
    "cannot_open": "无法打开这个文件",
    "format": "不是受支持格式的图像（{formats}）",
    "corrupt": "图像不完整或已损坏",
    "scans": "这个 JPEG 有 {scans:,} 个扫描段，上限是 {limit:,}",
    "tiff": "不支持这种 TIFF 压缩；请用不压缩、LZW、deflate 或 PackBits",
    "depth": "图像每个通道超过 8 位（模式 {mode}）；请存成每通道 8 位的图像",
    "too_many_bytes": ("图像是 {width}×{height}，模式 {mode}，解码后有 {bytes:,} 字节；"
                       "上限是 {limit:,}（{megabytes} MB）"),
    "webp": "这幅 WebP 图像是 {width}×{height}；WebP 的上限是 {limit:,} 个像素",
    "language": "需要字符串形式的语言，例如 'en' 或 'zh-CN'",
    "checkpoint": "检查点必须是整数或 null",
    "tap": "点击需要指明格子：层、特征图、行和列",
    "not_uploaded": "需要随调用上传的图像文件，例如 gradio_client.handle_file('digit.png')",
    "rival": "对比的数字必须是 0–9，或者不填",
    "unknown_model": "没有叫 {name} 的模型；可选：{choices}",
    "rival_label": "对比的数字必须是 0–9 中 {label} 以外的数字",
    "not_a_map": "{layer} 不是这个网络的卷积或池化特征图；可选：{choices}",
    "no_cell": "{layer} 是 {height}×{width}，没有格子 ({y}, {x})",
    "no_map": "{layer} 有 {maps} 个特征图，没有第 {channel} 个",
}
