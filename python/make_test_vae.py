"""Makes the tiny VAE that skybook's ONNX scoring tests run: python/models/test-vae.onnx and its weights as JSON.

The model is a stand-in for a VAE trained elsewhere on DESI quasar spectra: same shape of graph (encoder -> latent
mean -> decoder), small enough to commit (64 input pixels, 16 hidden units, latent 4). Its weights are seeded, not
trained: the tests check that onnxruntime-node runs an exported graph and that skybook's own forward pass of the same
weights (lib/quasar/anomaly/vae-reference.ts) gives the same scores, not what the scores mean.

Graph: input "flux" [batch, 64] float32 -> outputs "reconstruction" [batch, 64] and "latent" [batch, 4], with
    h = tanh(flux @ W1^T + b1); latent = h @ Wmu^T + bmu          (the encoder's mean; no sampling at scoring time)
    g = tanh(latent @ W2^T + b2); reconstruction = g @ W3^T + b3

Run from the repository root (needs torch and onnx from python/requirements.txt, `npm run setup:python`):
    .venv/bin/python python/make_test_vae.py
Deterministic: the same torch version writes the same weights; the JSON holds them as float32 values written exactly.
"""

import json
import pathlib

import torch
from torch import nn

NPIX, HIDDEN, LATENT = 64, 16, 4
OUT = pathlib.Path(__file__).resolve().parent / "models"


class TinyVae(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.enc = nn.Linear(NPIX, HIDDEN)
        self.mu = nn.Linear(HIDDEN, LATENT)
        self.logvar = nn.Linear(HIDDEN, LATENT)  # trained VAEs have it; scoring uses the mean only
        self.dec = nn.Linear(LATENT, HIDDEN)
        self.out = nn.Linear(HIDDEN, NPIX)

    def forward(self, flux: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        latent = self.mu(torch.tanh(self.enc(flux)))
        return self.out(torch.tanh(self.dec(latent))), latent


def main() -> None:
    torch.manual_seed(20260415)
    model = TinyVae().eval()
    with torch.no_grad():
        # A reconstruction near 1 (a normalised spectrum), so chi-squares in the tests are of a sensible size.
        model.out.bias.fill_(1.0)
    OUT.mkdir(exist_ok=True)
    onnx_path = OUT / "test-vae.onnx"
    torch.onnx.export(
        model,
        (torch.ones(1, NPIX),),
        str(onnx_path),
        input_names=["flux"],
        output_names=["reconstruction", "latent"],
        dynamic_axes={"flux": {0: "batch"}, "reconstruction": {0: "batch"}, "latent": {0: "batch"}},
        opset_version=17,
        dynamo=False,
    )

    def tensor(t: torch.Tensor) -> list:
        # float32 -> Python float is exact, and json writes the shortest repr that reads back to the same double.
        return t.detach().to(torch.float32).tolist()

    layers = {name: {"weight": tensor(getattr(model, name).weight), "bias": tensor(getattr(model, name).bias)} for name in ("enc", "mu", "dec", "out")}
    weights = {
        "format": "skybook-tiny-vae-1",
        "npix": NPIX,
        "hidden": HIDDEN,
        "latent": LATENT,
        "note": "h = tanh(enc(x)); z = mu(h); r = out(tanh(dec(z))); weight[o][i] as torch.nn.Linear",
        "layers": layers,
    }
    (OUT / "test-vae.weights.json").write_text(json.dumps(weights, separators=(",", ":")) + "\n")
    print(f"wrote {onnx_path} ({onnx_path.stat().st_size} bytes) and {OUT / 'test-vae.weights.json'}")


if __name__ == "__main__":
    main()
