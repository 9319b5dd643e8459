import os

SUBSCRIPTION = os.environ["SUBSCRIPTION"]
BATCH_SIZE = int(os.environ["BATCH_SIZE"])


def run() -> None:
    print(f"pulling {BATCH_SIZE} from {SUBSCRIPTION}")


if __name__ == "__main__":
    run()
