import shared.auth.revocations  # noqa: F401  (its table is in the same metadata)
from shared.auth.accounts import Base
from shared.migrations import run_env

run_env(Base.metadata)
