"""One frozen configuration object; its hash is stamped into every output manifest."""
from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass

from .errors import ConfigError


@dataclass(frozen=True, kw_only=True)
class Config:
    # normalisation
    opencc_config: str = "t2s"            # Traditional -> Simplified characters; terms via data/tw_terms.tsv
    fold_width: bool = True               # full-width ASCII, ideographic space, Kangxi radicals -> standard
    remove_pdf_spaces: bool = True        # spaces that PDF line breaks left between Chinese characters
    remove_page_numbers: bool = True      # page numbers standing inside sentences of one-line PDF text
    remove_chrome: bool = True            # breadcrumbs, 字号/收藏/打印 widgets, 扫一扫 lines
    # segmentation
    level: str = "coarse"                 # "coarse" (numbered items) or "fine" (their sub-items)
    heading_max_chars: int = 40           # a numbered title longer than this is never a heading
    # reading
    max_file_mb: int = 200                # larger files are refused (a link to /dev/zero is never read whole)
    allow_outside_corpus: bool = False    # corpus.toml may name files outside its own folder (the researcher's
                                          # explicit choice: a corpus.toml from elsewhere never reads /etc/…)

    def __post_init__(self) -> None:
        if self.level not in ("coarse", "fine"):
            raise ConfigError(f"level must be 'coarse' or 'fine', not {self.level!r}")
        if self.opencc_config not in ("t2s", "tw2s", "tw2sp", "hk2s"):
            raise ConfigError(f"opencc_config must be one of t2s, tw2s, tw2sp, hk2s, not {self.opencc_config!r}")
        if self.heading_max_chars < 1:
            raise ConfigError("heading_max_chars must be >= 1")
        if self.max_file_mb < 1:
            raise ConfigError("max_file_mb must be >= 1")

    def replace(self, **changes) -> "Config":
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    def hash(self) -> str:
        """A short, stable hash of every setting (sorted JSON), for output manifests."""
        blob = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False).encode("utf-8")
        return hashlib.sha256(blob).hexdigest()[:16]


DEFAULT = Config()
