"""What the tests share (benchmarks may use it too), by what it serves:

- digits: the fixtures' digits (FIXTURES, DRAWN, label_of) and canvas_with;
- images: encoded, data_url, and hostile image files;
- servers: a real `python -m app` started, stopped and called (read, call, upload, eventually);
- processes: a process's CPU time and memory from /proc;
- browsers: the page in headless chromium (open_page, stroke, shot, …).

Import from the module (tests.helpers.browsers, …).
"""
