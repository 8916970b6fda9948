((js, wasm) => {
	const compiled = WebAssembly.compileStreaming
		? WebAssembly.compileStreaming(fetch(wasm)).catch(() => wasm)
		: Promise.resolve(wasm);
	const loaded = Promise.all([import(js), compiled]).then(([mod, module_or_path]) =>
		mod.default({ module_or_path }).then(() => {
			mod.hydrate();
			return mod;
		}),
	);
	const parsed = new Promise((done) => {
		if (document.readyState === "loading") {
			document.addEventListener("DOMContentLoaded", done, { once: true });
		} else {
			done();
		}
	});
	Promise.all([loaded, parsed])
		.then(([mod]) => {
			for (const el of document.querySelectorAll("leptos-island")) {
				const island = mod[el.dataset.component];
				if (island) {
					island(el);
				} else {
					console.warn(`Could not find WASM function for the island ${el.dataset.component}.`);
				}
			}
		})
		.catch((error) => console.error("Could not load the page's script:", error));
})
