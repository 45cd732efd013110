"""The sizes the page is drawn at (the colours live in js/paint.js, the layout in page.css,
and the network's 28×28 input side is app.models.IMAGE_SIZE). Maps are sent at one value per
pixel and scaled up by the page: a zoom is CSS pixels per value. Not yet here: the timeline
chart's 120 px minimum height in page.css (TIMELINE_HEIGHT below)."""

# The network panel (js/network.js reads these as its `look` prop).
NETWORK = {
    "wide": 600,          # narrower than this (a phone), each layer is one compact strip
    "map_columns": 8,     # maps per row of a layer's grid
    "most_zoom": 12,      # of a layer's maps
    "output_zoom": 28,    # of the 10 output scores
    "output_width": 300,  # CSS px the scores may take
    "phone_steps": 0.6,   # the pipeline's steps are this much smaller on a phone
}
# The pipeline's steps, in CSS px for the longest side; and placeholders before the first
# drawing, in values, each step's usual shape, so nothing moves when the first answer comes.
STEP_SIZE = {"ink": 64, "crop": 64, "stroke": 64, "20×20": 40, "28×28": 56, "padded": 64}
EMPTY_STEPS = {"ink": (64, 64), "crop": (48, 40), "stroke": (64, 54), "20×20": (20, 17), "28×28": (28, 28)}
THUMBNAIL = 64            # longest side, in values, of a step sent to the page

WHY_SIDE = 168            # CSS px of each map of the Why panel (the 28×28 at 6×)
KERNEL_ZOOM = {"one_input": 12, "many_inputs": 8, "unit": 3}
VARIANT_ZOOM = 2          # a stress variant at the flip
SWITCH_ZOOM = 3           # the pipeline with one step off
COMPARE_ZOOM = {"large_map": 2, "small_map": 3, "units": 8}
TIMELINE_HEIGHT = 120     # px of the accuracy-over-training chart
MODEL_CHOICE = 118        # CSS px per model in the model switch, so all of them fit one row
