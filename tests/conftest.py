"""Fixtures shared by the test modules; helpers they import live in tests/helpers/."""

import pytest
from PIL import Image

from tests.helpers.browsers import launch
from tests.helpers.digits import DRAWN, FIXTURES, label_of
from tests.helpers.servers import start_server, stop_server


@pytest.fixture(scope="session")
def mnist_fixture():
    from training.data import from_idx_folder
    return from_idx_folder(FIXTURES / "mnist")


@pytest.fixture(scope="session")
def classifier():
    from app.inference import DigitClassifier
    return DigitClassifier.load()


@pytest.fixture(scope="session")
def drawings():
    """(image, label) for each redrawn test digit in the fixtures."""
    return [(Image.open(path).copy(), label_of(path)) for path in DRAWN]


@pytest.fixture(scope="session")
def server():
    process, url = start_server()
    yield url
    stop_server(process)


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()
