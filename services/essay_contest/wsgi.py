from services.essay_contest.app import create_app

app = create_app()
