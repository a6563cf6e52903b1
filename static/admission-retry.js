// The page of a submission refused because the portal was busy (issue 20): count the seconds
// of Retry-After down and send the same form again (the same idempotency key: never filed twice).
// Without JavaScript the page's button does the same.
(() => {
	const form = document.querySelector('form[data-retry-after]');
	const countdown = document.getElementById('retry-countdown');
	if (!form) return;
	let seconds = Number(form.getAttribute('data-retry-after')) || 5;
	const timer = setInterval(() => {
		seconds -= 1;
		if (countdown) countdown.textContent = String(Math.max(seconds, 0));
		if (seconds <= 0) {
			clearInterval(timer);
			form.submit();
		}
	}, 1000);
})();
