# The commands of the page "Run the examples on your computer" (docs/<lang>/run-locally.md),
# which shows them one section at a time; tests/test_run_locally.py runs or checks each.

# --8<-- [start:venv]
python3 -m venv .venv
. .venv/bin/activate
# --8<-- [end:venv]

# --8<-- [start:venv-windows]
python -m venv .venv
.venv\Scripts\activate.bat
# --8<-- [end:venv-windows]

# --8<-- [start:torch-linux]
pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu
pip install numpy==2.4.6
# --8<-- [end:torch-linux]

# --8<-- [start:torch]
pip install torch==2.13.0 numpy==2.4.6
# --8<-- [end:torch]

# --8<-- [start:check]
cd snippets/basic-llm-concepts
python autograd_example.py | diff - output/autograd_example.txt
# --8<-- [end:check]

# --8<-- [start:requirements]
pip install -r requirements.txt
# --8<-- [end:requirements]

# --8<-- [start:check-lesson]
pytest tests/test_snippets.py -k data-sampling
# --8<-- [end:check-lesson]
