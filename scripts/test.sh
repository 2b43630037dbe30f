#!/usr/bin/env bash
# Runs every test project of the solution (the README's test command).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet test MetaQap.Workers.sln -c Release --nologo "$@"
