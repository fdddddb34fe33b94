"""One η on the page: the toolbar's `lr` is the only learning-rate field and drives every
training; η = 5 there makes two-moons diverge, with the overflowing node and step named."""

SCENE = '[data-testid="scene"]'


def test_eta_five_in_the_toolbar_makes_two_moons_diverge(page, base_url, api):
    page.goto(f"{base_url}/?preset=two-moons")
    page.wait_for_selector(f"{SCENE}[data-ready=true]", state="attached")
    # The only number field for η on the page is the toolbar's.
    assert page.locator('input[type=number][data-testid$="lr"]').count() == 1
    page.get_by_test_id("lr").fill("5")
    page.get_by_test_id("lr").press("Tab")
    sid = api.post("/api/v1/sessions", json={"preset": "two-moons"}).json()["id"]
    reference = api.post(f"/api/v1/sessions/{sid}/train", json={"steps": 2000, "lr": 5}).json()["divergence"]
    assert reference is not None  # the lesson: η = 5 overflows
    page.get_by_test_id("train").click()
    box = page.get_by_test_id("divergence")
    box.wait_for(state="visible", timeout=60_000)
    text = box.text_content()
    assert reference["first_nonfinite_value"] in text and f"at step {reference['step']}" in text
    assert box.get_attribute("data-node") == reference["first_nonfinite_value"]


def test_the_remember_first_task_trains_at_the_toolbars_eta(page, base_url):
    page.goto(f"{base_url}/?preset=remember-first&lr=0.1")
    page.wait_for_selector("body[data-ready=true]", state="attached")
    page.wait_for_selector('[data-testid="task-variant-2"][data-ratio-start]:not([data-ratio-start=""])',
                           state="attached")
    bodies = []
    page.on("request", lambda r: bodies.append(r.post_data_json) if r.url.endswith("/train") else None)
    page.get_by_test_id("task-train").click()
    page.wait_for_function("Number(document.querySelector('[data-testid=task-variant-0]').dataset.steps) > 0")
    assert bodies and all(b["lr"] == 0.1 for b in bodies)


def test_an_eta_that_is_not_a_positive_number_is_refused_with_a_reason(page, base_url):
    page.goto(f"{base_url}/?preset=tanh-mlp")
    page.wait_for_selector("body[data-ready=true]", state="attached")
    lr = page.get_by_test_id("lr")
    for typed in ("-1", "0"):
        lr.fill(typed)
        lr.press("Enter")
        assert lr.input_value() == "0.1"
        message = lr.evaluate("(el) => el.validationMessage")
        assert "positive" in message and typed in message and "stays 0.1" in message
    lr.fill("0.2")  # typing again clears the complaint, and a good value is taken
    lr.press("Enter")
    assert lr.evaluate("(el) => el.validationMessage") == ""
    page.wait_for_function("new URL(location.href).searchParams.get('lr') === '0.2'")
