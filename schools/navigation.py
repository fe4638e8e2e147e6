"""Menu entry and audit labels of the schools' documents."""

from portal.audit.actions import register as register_actions
from portal.core.navigation import NavEntry, register

register(NavEntry("校本研修汇总", "schools:summary", "schools.view_training_summary", order=27))
register(NavEntry("专家指导", "schools:guidance_list", "schools.view_guidance", order=28))

register_actions(
    {
        "schools.training.save": "保存校本研修与考核方案",
        "schools.group.add": "添加科组",
        "schools.group.update": "修改科组",
        "schools.group.remove": "删除科组",
        "schools.teacher.add": "登记教师",
        "schools.teacher.update": "修改教师信息",
        "schools.teacher.remove": "删除教师",
        "schools.session.add": "添加研修安排",
        "schools.session.update": "修改研修安排",
        "schools.session.remove": "删除研修安排",
        "schools.score.save": "保存考核评分",
        "schools.ability_point.add": "增补能力点",
        "schools.devplan.save": "保存发展规划草稿",
        "schools.devplan.submit": "提交发展规划",
        "schools.devplan.file_add": "上传发展规划附件",
        "schools.devplan.file_remove": "删除发展规划附件",
        "schools.guidance.assign": "安排专家指导",
        "schools.guidance.note": "填写专家指导意见",
        "schools.guidance.summary": "保存指导意见建议汇总",
        "schools.guidance.sign": "组长签署指导意见建议表",
    }
)
